package io.kvmj.launcher.cli;

import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.ImageProbe;
import io.kvmj.core.model.DiskFormat;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The image format of a {@code --disk}: the one given ({@code format=}/{@code driver.type=}), else the one QEMU
 * 7.2 would detect ({@link ImageProbe}), never {@code raw} for a detected container. raw and qcow2 attach
 * read-write; vmdk, vdi, vhdx and vpc (VHD) only with {@code readonly=on}; every other detected format (qcow
 * v1, qed, luks, bochs, cloop, dmg, parallels) is refused with the command that converts it.
 *
 * <pre>{@code
 * DiskFormat f = DiskOptionFormat.choose(Path.of("win.vhdx"), Optional.empty(), true);   // VHDX
 * }</pre>
 */
final class DiskOptionFormat {
    private DiskOptionFormat() {}

    static DiskFormat choose(Path path, java.util.Optional<String> given, boolean readOnly) {
        String name;
        boolean detected = given.isEmpty();
        if (detected) {
            try {
                name = ImageProbe.detect(path).qemuName();
            } catch (java.io.UncheckedIOException e) {
                throw new IllegalArgumentException("--disk: cannot read " + path + " to detect its format ("
                        + e.getCause().getMessage() + "); give format=");
            }
        } else {
            name = given.get().toLowerCase(Locale.ROOT);
            if (name.equals("vhd")) {
                name = "vpc";
            }
        }
        DiskFormat f = switch (name) {
            case "raw" -> DiskFormat.RAW;
            case "qcow2" -> DiskFormat.QCOW2;
            case "vmdk" -> DiskFormat.VMDK;
            case "vdi" -> DiskFormat.VDI;
            case "vhdx" -> DiskFormat.VHDX;
            case "vpc" -> DiskFormat.VPC;
            default -> null;
        };
        String convert = "convert it: kvmj img convert -O qcow2 " + path + " NEW.qcow2";
        if (f == null) {
            if (!detected) {
                boolean known = java.util.Arrays.stream(ImageFormat.values()).anyMatch(x -> x.qemuName().equals(given.get()));
                throw new IllegalArgumentException("--disk: format=" + given.get() + (known
                        ? " is not attached by kvmj (raw, qcow2; vmdk, vdi, vhdx, vpc read-only); " + convert
                        : " is not one of raw|qcow2|vmdk|vdi|vhdx|vpc"));
            }
            throw new IllegalArgumentException("--disk: " + path + " is a " + name
                    + " image, which kvmj does not attach; " + convert);
        }
        if (f.readOnlyOnly() && !readOnly) {
            throw new IllegalArgumentException("--disk: " + path + (detected ? " is a " : " given as ") + f.driver()
                    + " image, which kvmj attaches read-only only: add readonly=on, or " + convert);
        }
        return f;
    }
}

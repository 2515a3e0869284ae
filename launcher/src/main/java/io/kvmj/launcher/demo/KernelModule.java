package io.kvmj.launcher.demo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * One loadable kernel module file ({@code .ko}, {@code .ko.xz} or {@code .ko.gz}) and the modules it depends on
 * (from its {@code .modinfo} {@code depends=} entry). {@link #readUncompressed()} returns a plain ELF object
 * that busybox {@code insmod} can load whatever the kernel's module-compression support is.
 *
 * @param name    module name with '-' normalised to '_' (e.g. {@code 9pnet_virtio})
 * @param file    the module file
 * @param depends names of the modules it needs loaded first
 */
public record KernelModule(String name, Path file, List<String> depends) {
    public KernelModule {
        depends = List.copyOf(depends);
    }

    /** Reads {@code file}, decompresses it if needed and parses its dependencies. */
    public static KernelModule read(Path file) throws IOException {
        byte[] elf = uncompressed(file);
        return new KernelModule(nameOf(file), file, dependsOf(elf));
    }

    /** The module as an uncompressed ELF object. */
    public byte[] readUncompressed() throws IOException {
        return uncompressed(file);
    }

    /** True when {@code fileName} looks like a module this class can read. */
    public static boolean isModuleFile(String fileName) {
        return fileName.endsWith(".ko") || fileName.endsWith(".ko.xz") || fileName.endsWith(".ko.gz")
            || fileName.endsWith(".ko.zst");
    }

    /** Module name of a file or path such as {@code kernel/fs/9p/9p.ko.xz} → {@code 9p}. */
    public static String nameOf(Path file) {
        return nameOf(file.getFileName().toString());
    }

    /** Module name of a file name such as {@code virtio-pci.ko.xz} → {@code virtio_pci}. */
    public static String nameOf(String fileName) {
        String n = fileName;
        int slash = n.lastIndexOf('/');
        if (slash >= 0) {
            n = n.substring(slash + 1);
        }
        int ko = n.indexOf(".ko");
        if (ko > 0) {
            n = n.substring(0, ko);
        }
        return normalize(n);
    }

    /** Module names treat '-' and '_' alike; this returns the '_' spelling. */
    public static String normalize(String name) {
        return name.replace('-', '_');
    }

    static byte[] uncompressed(Path file) throws IOException {
        String fn = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (fn.endsWith(".ko")) {
            return Files.readAllBytes(file);
        }
        byte[] raw = Files.readAllBytes(file);
        if (fn.endsWith(".ko.xz")) {
            try (InputStream in = new XZInputStream(new ByteArrayInputStream(raw))) {
                return in.readAllBytes();
            }
        }
        if (fn.endsWith(".ko.gz")) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                return in.readAllBytes();
            }
        }
        throw new IOException("cannot read kernel module " + file + ": only .ko, .ko.xz and .ko.gz are supported"
            + " (decompress it first, e.g. 'zstd -d " + file.getFileName() + "')");
    }

    /** Parses the NUL-separated {@code depends=a,b} entry of a module's .modinfo section. */
    static List<String> dependsOf(byte[] elf) {
        byte[] key = "depends=".getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 1; i + key.length <= elf.length; i++) {
            if (elf[i - 1] != 0) {
                continue;
            }
            for (int k = 0; k < key.length; k++) {
                if (elf[i + k] != key[k]) {
                    continue outer;
                }
            }
            int start = i + key.length;
            int end = start;
            while (end < elf.length && elf[end] != 0) {
                end++;
            }
            String v = new String(elf, start, end - start, StandardCharsets.US_ASCII).trim();
            List<String> deps = new ArrayList<>();
            for (String d : v.split(",")) {
                if (!d.isBlank()) {
                    deps.add(normalize(d.trim()));
                }
            }
            return deps;
        }
        return List.of();
    }
}

package io.kvmj.launcher.demo;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the demo guest's initramfs (gzip-compressed cpio newc): busybox as {@code /bin/busybox} and
 * {@code /bin/sh}, the kernel modules under {@code /lib/modules/kvmj/} with an {@code order} file, the
 * {@code /init} script ({@link #demoInitScript()}), the preamble it sources ({@link #COMMON_SCRIPT}, also for custom
 * init scripts: {@code . /lib/kvmj/init-common.sh}) and a {@code /dev/console} node.
 */
public final class Initramfs {
    static final String MODULE_DIR = "lib/modules/kvmj";
    /**
     * Where every initramfs holds the shared /init preamble: PATH, busybox applets, /proc /sys /dev mounted,
     * {@code arg NAME} (kernel command line value) and {@code load_modules} (sets {@code $loaded}, {@code $failed}).
     */
    public static final String COMMON_SCRIPT = "/lib/kvmj/init-common.sh";

    private Initramfs() {}

    /** The /init script of the demo guest (a resource of this package). */
    public static String demoInitScript() {
        return resource("init.sh");
    }

    /** The shared preamble written to {@link #COMMON_SCRIPT} (a resource of this package). */
    public static String commonInitScript() {
        return resource("init-common.sh");
    }

    private static String resource(String name) {
        try (InputStream in = Initramfs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource io/kvmj/launcher/demo/" + name + " missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name + " resource", e);
        }
    }

    /** Writes the demo initramfs to {@code out} with the demo init script. */
    public static void write(Path out, Path busybox, ModuleSet modules) throws IOException {
        write(out, busybox, modules, demoInitScript());
    }

    /** Writes an initramfs with a custom {@code /init} script to {@code out}. */
    public static void write(Path out, Path busybox, ModuleSet modules, String initScript) throws IOException {
        try (OutputStream file = Files.newOutputStream(out);
             CpioNewcWriter cpio = new CpioNewcWriter(
                 new GZIPOutputStream(new BufferedOutputStream(file, 1 << 16), 1 << 16), 0)) {
            for (String d : List.of("bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "proc", "sys", "tmp",
                                    "mnt", "lib", "lib/kvmj", "lib/modules", MODULE_DIR, "etc", "root")) {
                cpio.directory(d, d.equals("tmp") ? 01777 : 0755);
            }
            cpio.charDevice("dev/console", 0600, 5, 1);
            cpio.charDevice("dev/null", 0666, 1, 3);
            cpio.file("bin/busybox", 0755, busybox);
            cpio.symlink("bin/sh", "busybox");
            StringBuilder order = new StringBuilder();
            for (KernelModule m : modules.modules()) {
                cpio.file(MODULE_DIR + "/" + m.name() + ".ko", 0644, m.readUncompressed());
                order.append(m.name()).append('\n');
            }
            cpio.file(MODULE_DIR + "/order", 0644, order.toString().getBytes(StandardCharsets.UTF_8));
            cpio.file(COMMON_SCRIPT.substring(1), 0644, commonInitScript().getBytes(StandardCharsets.UTF_8));
            cpio.file("init", 0755, initScript.getBytes(StandardCharsets.UTF_8));
        }
    }
}

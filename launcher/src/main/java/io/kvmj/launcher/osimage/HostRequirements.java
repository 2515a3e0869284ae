package io.kvmj.launcher.osimage;

import io.kvmj.launcher.process.Executables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a build needs on the host: root (mmdebstrap's root mode, chroot, losetup and mount of the disk's root
 * partition) and the tools below, with the Debian package providing each for the error message.
 */
public final class HostRequirements {
    /** Tool to Debian package, for the base build (the first build of a package set). */
    static final Map<String, String> BASE_TOOLS = tools(
        "mmdebstrap", "mmdebstrap", "sfdisk", "fdisk", "mkfs.ext4", "e2fsprogs", "grub-install", "grub2-common",
        "losetup", "mount", "mount", "mount", "chroot", "coreutils", "du", "coreutils");
    /** Tool to Debian package, for every build (customizing a copy of the cached base). */
    static final Map<String, String> CUSTOMIZE_TOOLS = tools(
        "mount", "mount", "umount", "mount", "chpasswd", "passwd", "chroot", "coreutils", "cp", "coreutils",
        "qemu-img", "qemu-utils");
    /** GRUB's BIOS modules, from grub-pc-bin. */
    static final Path GRUB_I386_PC = Path.of("/usr/lib/grub/i386-pc");

    private HostRequirements() {}

    private static Map<String, String> tools(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** True when this process runs as root (uid 0). */
    public static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * The missing pieces as one line (e.g. {@code missing mmdebstrap, grub-install; install them with: apt-get install
     * mmdebstrap grub2-common}), or null when everything is there.
     *
     * @param base also the tools of a base build (no cached base yet)
     */
    public static String problem(boolean base) {
        if (!isRoot()) {
            return "kvmj img build needs root (mmdebstrap in root mode, chroot, losetup and mount of the image's"
                + " root partition); run it as root or with sudo";
        }
        List<String> missing = new ArrayList<>();
        Set<String> pkgs = new LinkedHashSet<>();
        Map<String, String> all = new LinkedHashMap<>(CUSTOMIZE_TOOLS);
        if (base) {
            all.putAll(BASE_TOOLS);
        }
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (Executables.find(e.getKey()).isEmpty()) {
                missing.add(e.getKey());
                pkgs.add(e.getValue());
            }
        }
        if (base && !Files.isDirectory(GRUB_I386_PC)) {
            missing.add(GRUB_I386_PC.toString());
            pkgs.add("grub-pc-bin");
        }
        if (missing.isEmpty()) {
            return null;
        }
        return "missing " + String.join(", ", missing) + "; install them with: apt-get install " + String.join(" ", pkgs);
    }
}

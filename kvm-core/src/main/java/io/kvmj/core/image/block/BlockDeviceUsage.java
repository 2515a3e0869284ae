package io.kvmj.core.image.block;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who on the host already uses a block device, so that kvmj does not hand a disk to a guest while the host (or
 * another guest) writes to it: a mount of the device or of one of its partitions ({@code /proc/self/mountinfo},
 * matched by {@code major:minor}), a holder in sysfs ({@code holders/}: an md array or a device-mapper target such
 * as LVM or dm-crypt built on it), or active swap ({@code /proc/swaps}). Other kvmj guests are checked by the
 * launcher ({@code HostDiskClaims}); QEMU's own image lock is the last line.
 *
 * <pre>{@code
 * List<String> users = new BlockDeviceUsage().users(new BlockDevices().inspect(Path.of("/dev/sdb")));
 * // ["partition sdb1 is mounted on /srv/data"]
 * }</pre>
 */
public final class BlockDeviceUsage {
    private final Path sysRoot;
    private final Path mountinfo;
    private final Path swaps;

    /** Reads the real /sys, /proc/self/mountinfo and /proc/swaps. */
    public BlockDeviceUsage() {
        this(Path.of("/sys"), Path.of("/proc/self/mountinfo"), Path.of("/proc/swaps"));
    }

    /** Reads the given sysfs root, mountinfo and swaps files (tests point them at fakes). */
    public BlockDeviceUsage(Path sysRoot, Path mountinfo, Path swaps) {
        this.sysRoot = sysRoot;
        this.mountinfo = mountinfo;
        this.swaps = swaps;
    }

    /**
     * Every use of {@code device} or its partitions found on the host, one sentence each (e.g.
     * {@code "it is a member of md0 (holders/)"}); empty when the disk is free.
     */
    public List<String> users(BlockDevice device) {
        Map<String, String> nodes = nodes(device); // major:minor -> kernel name, the device first
        List<String> users = new ArrayList<>();
        for (String line : lines(mountinfo)) {
            String[] f = line.split(" ");
            if (f.length > 4 && nodes.containsKey(f[2])) {
                users.add(who(device, nodes.get(f[2])) + " is mounted on " + unescape(f[4]));
            }
        }
        for (Map.Entry<String, String> n : nodes.entrySet()) {
            Path holders = sysRoot.resolve("dev/block/" + n.getKey() + "/holders");
            for (String h : list(holders)) {
                users.add(who(device, n.getValue()) + " is held by " + h + " (" + holderKind(h) + ")");
            }
        }
        List<String> swapLines = lines(swaps);
        for (int i = 1; i < swapLines.size(); i++) {
            String path = unescape(swapLines.get(i).split("\\s+")[0]);
            String mm = majorMinor(Path.of(path));
            if (mm != null && nodes.containsKey(mm)) {
                users.add(who(device, nodes.get(mm)) + " is active swap (" + path + ")");
            }
        }
        return users;
    }

    private static String who(BlockDevice d, String name) {
        return name.equals(d.name()) ? "it" : "partition " + name;
    }

    private static String holderKind(String holder) {
        if (holder.startsWith("md")) {
            return "an md RAID array";
        }
        if (holder.startsWith("dm-")) {
            return "a device-mapper target: LVM, dm-crypt or multipath";
        }
        return "a kernel holder";
    }

    private Map<String, String> nodes(BlockDevice d) {
        Map<String, String> nodes = new LinkedHashMap<>();
        String mm = d.major() + ":" + d.minor();
        nodes.put(mm, d.name());
        Path dir = sysRoot.resolve("dev/block/" + mm);
        for (String child : list(dir)) {
            Path c = dir.resolve(child);
            if (Files.isRegularFile(c.resolve("partition")) && Files.isRegularFile(c.resolve("dev"))) {
                try {
                    nodes.put(Files.readString(c.resolve("dev")).strip(), child);
                } catch (IOException e) {
                    // a partition that vanished while we looked is not a user
                }
            }
        }
        return nodes;
    }

    private static String majorMinor(Path node) {
        if (!BlockDevices.isBlockDevice(node)) {
            return null;
        }
        try {
            long rdev = (Long) Files.getAttribute(node, "unix:rdev");
            return BlockDevices.major(rdev) + ":" + BlockDevices.minor(rdev);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** mountinfo and /proc/swaps escape space, tab, newline and backslash as {@code \\ooo}. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<String> list(Path dir) {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            return names;
        }
        names.sort(null);
        return names;
    }
}

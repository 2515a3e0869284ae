package io.kvmj.core.image.block;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Detects and describes host block devices: LVM logical volumes, ZFS zvols, loop devices, device-mapper
 * targets, partitions and disks, reached directly or through symlinks such as {@code /dev/disk/by-id/...}.
 * The node is identified by stat(2) ({@code unix:mode} and {@code unix:rdev}), then described from
 * {@code /sys/dev/block/MAJOR:MINOR} under a configurable sysfs root (tests point it at a fake tree).
 */
public final class BlockDevices {
    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

    private final Path sysRoot;
    private final BlockSizer sizer;

    /** Uses the real /sys and the default sizer (the BLKGETSIZE64 ioctl when available). */
    public BlockDevices() {
        this(Path.of("/sys"), defaultSizer());
    }

    /** Uses the given sysfs root and sizer. */
    public BlockDevices(Path sysRoot, BlockSizer sizer) {
        this.sysRoot = sysRoot;
        this.sizer = sizer;
    }

    /**
     * The sizer used when none is given: the {@code BLKGETSIZE64} ioctl ({@link IoctlBlockSizer}); if the
     * native library cannot load, seeking to the end of the device.
     */
    public static BlockSizer defaultSizer() {
        try {
            return new IoctlBlockSizer();
        } catch (LinkageError | RuntimeException e) {
            return BlockDevices::sizeBySeek;
        }
    }

    /** True if {@code path} (after following symlinks) is a block device node. */
    public static boolean isBlockDevice(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return (mode & S_IFMT) == S_IFBLK;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Describes {@code path} if it is a block device, else empty. */
    public Optional<BlockDevice> probe(Path path) {
        return isBlockDevice(path) ? Optional.of(inspect(path)) : Optional.empty();
    }

    /**
     * Describes the block device at {@code path}.
     *
     * @throws IllegalArgumentException if it does not exist or is not a block device
     */
    public BlockDevice inspect(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(path + " does not exist");
        }
        if (!isBlockDevice(path)) {
            throw new IllegalArgumentException(path + " is not a block device");
        }
        try {
            long rdev = (Long) Files.getAttribute(path, "unix:rdev");
            Path real = path.toRealPath();
            return describe(path, real, major(rdev), minor(rdev));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + path + ": " + e.getMessage(), e);
        }
    }

    /** Describes a device known by its numbers, reading sysfs under this instance's root. */
    public BlockDevice describe(Path given, Path device, int major, int minor) {
        Path sys = sysRoot.resolve("dev/block/" + major + ":" + minor);
        if (!Files.isDirectory(sys)) {
            throw new IllegalArgumentException("no sysfs entry " + sys + " for " + given);
        }
        String name = ueventName(sys).orElseGet(() -> realName(sys));
        String dmUuid = read(sys.resolve("dm/uuid")).orElse(null);
        String dmName = read(sys.resolve("dm/name")).orElse(null);
        String loopFile = read(sys.resolve("loop/backing_file")).orElse(null);
        boolean partition = Files.exists(sys.resolve("partition"));
        String vg = null;
        String lv = null;
        BlockDeviceKind kind;
        if (dmUuid != null && dmUuid.startsWith("LVM-")) {
            kind = BlockDeviceKind.LVM_LOGICAL_VOLUME;
            if (dmName != null) {
                String[] vgLv = splitLvmName(dmName);
                vg = vgLv[0];
                lv = vgLv[1];
            }
        } else if (dmUuid != null || name.startsWith("dm-")) {
            kind = BlockDeviceKind.DEVICE_MAPPER;
        } else if (name.startsWith("zd") || given.toString().startsWith("/dev/zvol/")) {
            kind = partition ? BlockDeviceKind.PARTITION : BlockDeviceKind.ZFS_ZVOL;
        } else if (name.startsWith("loop")) {
            kind = partition ? BlockDeviceKind.PARTITION : BlockDeviceKind.LOOP;
        } else if (name.startsWith("nbd")) {
            kind = partition ? BlockDeviceKind.PARTITION : BlockDeviceKind.NBD;
        } else if (name.startsWith("md")) {
            kind = partition ? BlockDeviceKind.PARTITION : BlockDeviceKind.MD_RAID;
        } else {
            kind = partition ? BlockDeviceKind.PARTITION : BlockDeviceKind.DISK;
        }
        long size = sizer.sizeOf(device);
        boolean ro = read(sys.resolve("ro")).map("1"::equals).orElse(false);
        int lbs = read(sys.resolve("queue/logical_block_size")).map(Integer::parseInt).orElse(512);
        boolean rotational = read(sys.resolve("queue/rotational")).map("1"::equals).orElse(false);
        int pbs = read(sys.resolve("queue/physical_block_size")).map(Integer::parseInt).orElse(lbs);
        return new BlockDevice(given, device, name, major, minor, kind, size, ro, lbs, rotational, dmName, vg, lv,
            loopFile, pbs, DiskIdentity.serial(sys), DiskIdentity.wwn(sys));
    }

    /** Size from sysfs ({@code size} counts 512-byte sectors whatever the logical block size). */
    public long sysfsSize(int major, int minor) {
        Path f = sysRoot.resolve("dev/block/" + major + ":" + minor + "/size");
        return Long.parseLong(read(f).orElseThrow(() -> new IllegalArgumentException("no " + f))) * 512;
    }

    /** Linux dev_t major number. */
    static int major(long rdev) {
        return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
    }

    /** Linux dev_t minor number. */
    static int minor(long rdev) {
        return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
    }

    /** Splits an LVM device-mapper name {@code vg-lv} where literal dashes are doubled. */
    static String[] splitLvmName(String dmName) {
        for (int i = 0; i < dmName.length(); i++) {
            if (dmName.charAt(i) == '-') {
                if (i + 1 < dmName.length() && dmName.charAt(i + 1) == '-') {
                    i++;
                    continue;
                }
                return new String[] {dmName.substring(0, i).replace("--", "-"),
                    dmName.substring(i + 1).replace("--", "-")};
            }
        }
        return new String[] {null, dmName};
    }

    private static Optional<String> ueventName(Path sys) {
        return read(sys.resolve("uevent")).flatMap(u -> u.lines()
            .filter(l -> l.startsWith("DEVNAME="))
            .map(l -> l.substring("DEVNAME=".length()))
            .findFirst());
    }

    private static String realName(Path sys) {
        try {
            return sys.toRealPath().getFileName().toString();
        } catch (IOException e) {
            return sys.getFileName().toString();
        }
    }

    private static Optional<String> read(Path f) {
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(f).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static long sizeBySeek(Path device) {
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.READ)) {
            return ch.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + device + ": " + e.getMessage(), e);
        }
    }
}

package io.kvmj.launcher.osimage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Loop devices over a disk image (losetup). Partition nodes ({@code losetup -P}) need udev, which build hosts and
 * containers often lack, so a partition gets its own loop with {@code --offset}/{@code --sizelimit}; mount's own
 * {@code -o loop,offset=} would refuse it next to the whole-disk loop ("overlapping loop device").
 */
final class LoopDevice {
    private LoopDevice() {}

    /**
     * Attaches {@code file} (from {@code offset}, {@code sizeLimit} bytes; 0 = to the end) and registers the
     * detach with {@code cleanup}; returns the device, e.g. {@code /dev/loop3}.
     */
    static String attach(Path file, long offset, long sizeLimit, BuildCleanup cleanup) {
        List<String> argv = new ArrayList<>(List.of("losetup", "--find", "--show"));
        if (offset > 0) {
            argv.addAll(List.of("--offset", Long.toString(offset)));
        }
        if (sizeLimit > 0) {
            argv.addAll(List.of("--sizelimit", Long.toString(sizeLimit)));
        }
        argv.add(file.toString());
        String dev = HostCommand.run(argv, Duration.ofMinutes(1)).strip();
        if (!dev.startsWith("/dev/")) {
            throw new ImageBuildException("losetup printed no device for " + file + ": " + dev);
        }
        cleanup.push(() -> HostCommand.run(List.of("losetup", "--detach", dev), Duration.ofMinutes(1)));
        return dev;
    }

    /** Mounts {@code dev} (ext4) on {@code mountPoint} and registers the unmount with {@code cleanup}. */
    static void mount(String dev, Path mountPoint, BuildCleanup cleanup) {
        HostCommand.run(List.of("mount", "-t", "ext4", dev, mountPoint.toString()), Duration.ofMinutes(1));
        cleanup.push(() -> HostCommand.run(List.of("umount", mountPoint.toString()), Duration.ofMinutes(2)));
    }
}

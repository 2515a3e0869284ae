package io.kvmj.launcher.storage;

import io.kvmj.core.image.block.BlockDevice;
import io.kvmj.core.image.block.BlockDeviceUsage;
import io.kvmj.core.image.block.BlockDevices;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.launcher.SpecFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Refuses a host disk that something else already uses: the host itself ({@link BlockDeviceUsage}: mounted, an md
 * or device-mapper member, active swap) or another running kvmj guest (a {@code host_device} disk in its
 * {@code spec.json}, or the device named on its QEMU command line). QEMU's own image lock stays the last line for
 * users kvmj cannot see (another hypervisor, a disk hot-plugged by raw QMP).
 *
 * <pre>{@code
 * HostDiskClaims.requireFree(Path.of("/dev/disk/by-id/wwn-0x5000c500a1b2c3d4"), "nas");
 * // IllegalArgumentException: /dev/disk/by-id/wwn-0x5000c500a1b2c3d4 (sdb) is in use: partition sdb1 is mounted on /srv
 * }</pre>
 */
public final class HostDiskClaims {
    private HostDiskClaims() {}

    /**
     * Every user of the block device at {@code path}, one sentence each; a running kvmj guest other than
     * {@code exceptGuest} (may be null) that has it is named. Empty when the disk is free.
     */
    public static List<String> users(Path path, String exceptGuest) {
        BlockDevice d = new BlockDevices().inspect(path);
        List<String> users = new ArrayList<>(new BlockDeviceUsage().users(d));
        for (GuestInfo g : GuestRegistry.list()) {
            if (!g.alive() || g.name().equals(exceptGuest)) {
                continue;
            }
            if (uses(g, d)) {
                users.add("it is attached to the running kvmj guest '" + g.name() + "'");
            }
        }
        return users;
    }

    /**
     * Throws an {@link IllegalArgumentException} naming the disk and its first user when the block device at
     * {@code path} is in use (see {@link #users}).
     */
    public static void requireFree(Path path, String exceptGuest) {
        List<String> users = users(path, exceptGuest);
        if (!users.isEmpty()) {
            BlockDevice d = new BlockDevices().inspect(path);
            String name = path.toString().equals(d.device().toString()) ? path.toString()
                    : path + " (" + d.name() + ")";
            throw new IllegalArgumentException(name + " is in use on the host: " + String.join("; ", users)
                    + "; a guest writing to it would corrupt it");
        }
    }

    /** Checks every {@code host_device} disk of {@code spec} ({@link #requireFree}). */
    public static void requireFree(GuestSpec spec) {
        for (DiskSpec disk : spec.disks()) {
            if (disk.source() instanceof DiskSource.HostDevice h && !disk.readOnly()) {
                requireFree(h.device(), spec.name());
            }
        }
    }

    private static boolean uses(GuestInfo g, BlockDevice d) {
        List<Path> devices = new ArrayList<>();
        try {
            Optional<GuestSpec> spec = SpecFile.read(g.runtimeDir());
            spec.ifPresent(s -> s.disks().stream().filter(x -> x.source() instanceof DiskSource.HostDevice)
                    .forEach(x -> devices.add(((DiskSource.HostDevice) x.source()).device())));
        } catch (UncheckedIOException | IllegalArgumentException e) {
            // an unreadable spec.json: fall back to the command line
        }
        String cmd = g.commandLine() == null ? "" : g.commandLine();
        int i = 0;
        while ((i = cmd.indexOf("filename=", i)) >= 0) {
            int end = i + "filename=".length();
            while (end < cmd.length() && cmd.charAt(end) != ',' && cmd.charAt(end) != '\'' && cmd.charAt(end) != ' ') {
                end++;
            }
            String file = cmd.substring(i + "filename=".length(), end);
            if (file.startsWith("/dev/")) {
                devices.add(Path.of(file));
            }
            i = end;
        }
        for (Path p : devices) {
            if (sameNode(p, d)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameNode(Path p, BlockDevice d) {
        if (!BlockDevices.isBlockDevice(p)) {
            return false;
        }
        try {
            return p.toRealPath().equals(d.device()) || Files.isSameFile(p, d.device());
        } catch (IOException e) {
            return false;
        }
    }
}

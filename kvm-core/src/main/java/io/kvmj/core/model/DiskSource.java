package io.kvmj.core.model;

import java.nio.file.Path;
import java.util.Objects;

/** Where a disk's bytes come from: the protocol node of the blockdev pair. */
public sealed interface DiskSource {

    /** A regular image file ({@code driver=file}). */
    record File(Path path) implements DiskSource {
        public File { Objects.requireNonNull(path, "path"); }
    }

    /** A host block device ({@code driver=host_device}): LVM LV, ZFS zvol, {@code /dev/disk/by-id/...}. */
    record HostDevice(Path device) implements DiskSource {
        public HostDevice { Objects.requireNonNull(device, "device"); }
    }

    /** An NBD export over TCP ({@code socketPath == null}) or a unix socket. */
    record Nbd(String host, int port, Path socketPath, String export) implements DiskSource {
        public Nbd {
            if (socketPath == null) {
                Objects.requireNonNull(host, "host");
                if (port < 1 || port > 65535) {
                    throw new InvalidSpecException("nbd.port", port, "not a TCP port");
                }
            }
        }
    }

    static DiskSource file(Path path) { return new File(path); }

    static DiskSource hostDevice(Path device) { return new HostDevice(device); }

    static DiskSource nbdTcp(String host, int port, String export) { return new Nbd(host, port, null, export); }

    static DiskSource nbdUnix(Path socket, String export) { return new Nbd(null, 0, socket, export); }
}

package io.kvmj.launcher.storage;

import io.kvmj.core.image.block.BlockDevice;
import io.kvmj.core.image.block.BlockDevices;
import java.nio.file.Path;
import java.util.List;

/**
 * What the host knows about a block device a guest would get whole, as {@code kvmj img info /dev/X} shows it:
 * size ({@code BLKGETSIZE64}), rotational, logical/physical block size (passed to the guest by the NAS recipe),
 * serial and WWN (shown to the guest), and who uses it ({@link HostDiskClaims}).
 *
 * <pre>{@code
 * HostDiskFacts f = HostDiskFacts.of(Path.of("/dev/loop3"));   // f.inUse() == false when free
 * }</pre>
 *
 * @param path              the path as given
 * @param device            the device node it resolves to
 * @param kind              LOOP, DISK, PARTITION, LVM_LOGICAL_VOLUME, ...
 * @param sizeBytes         size by the BLKGETSIZE64 ioctl
 * @param rotational        the kernel's {@code queue/rotational}
 * @param logicalBlockSize  {@code queue/logical_block_size}
 * @param physicalBlockSize {@code queue/physical_block_size}
 * @param serial            the disk's serial, or null (loop devices have none)
 * @param wwn               the disk's 64-bit WWN as {@code 0x...}, or null
 * @param inUse             whether anything uses it (then a guest is refused it)
 * @param users             who uses it, one sentence each
 */
public record HostDiskFacts(Path path, Path device, String kind, long sizeBytes, boolean rotational,
                            int logicalBlockSize, int physicalBlockSize, String serial, String wwn, boolean inUse,
                            List<String> users) {

    /** The facts of the block device at {@code path} ({@link IllegalArgumentException} if it is not one). */
    public static HostDiskFacts of(Path path) {
        BlockDevice d = new BlockDevices().inspect(path);
        List<String> users = HostDiskClaims.users(path, null);
        return new HostDiskFacts(d.path(), d.device(), d.kind().name(), d.sizeBytes(), d.rotational(),
                d.logicalBlockSize(), d.physicalBlockSize(), d.serial(), d.wwn(), !users.isEmpty(), List.copyOf(users));
    }
}

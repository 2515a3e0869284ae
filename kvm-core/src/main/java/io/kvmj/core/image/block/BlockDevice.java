package io.kvmj.core.image.block;

import java.nio.file.Path;

/**
 * A host block device that can serve as a guest disk.
 *
 * @param path             the path as given (may be a symlink such as /dev/vg/lv, /dev/zvol/pool/vol or
 *                         /dev/disk/by-id/...)
 * @param device           the device node it resolves to, e.g. /dev/dm-3
 * @param name             the kernel name, e.g. {@code dm-3}, {@code loop0}, {@code zd16}
 * @param major            device major number
 * @param minor            device minor number
 * @param kind             classification
 * @param sizeBytes        size in bytes
 * @param readOnly         the kernel marks the device read-only
 * @param logicalBlockSize logical sector size in bytes
 * @param rotational       true for spinning disks (as the kernel reports)
 * @param dmName           device-mapper name ({@code vg-lv} for LVM), or null
 * @param volumeGroup      LVM volume group, or null
 * @param logicalVolume    LVM logical volume, or null
 * @param loopBackingFile  the file behind a loop device, or null
 * @param physicalBlockSize physical sector size in bytes ({@code queue/physical_block_size})
 * @param serial           the disk's serial number as the kernel reads it (sysfs {@code serial},
 *                         {@code device/serial} or VPD page 0x80), or null (loop devices have none)
 * @param wwn              the 64-bit NAA World Wide Name as {@code 0x} + 16 hex digits (sysfs {@code wwid} /
 *                         {@code device/wwid} {@code naa.}, or the NAA designator of VPD page 0x83), or null
 */
public record BlockDevice(
    Path path,
    Path device,
    String name,
    int major,
    int minor,
    BlockDeviceKind kind,
    long sizeBytes,
    boolean readOnly,
    int logicalBlockSize,
    boolean rotational,
    String dmName,
    String volumeGroup,
    String logicalVolume,
    String loopBackingFile,
    int physicalBlockSize,
    String serial,
    String wwn) {

    /** True if the given path is a stable name under /dev/disk/by-id, by-uuid, by-path, ... */
    public boolean stableName() {
        return path.toString().startsWith("/dev/disk/by-");
    }

    /** The recommended way to attach this device to a guest. */
    public DiskRecommendation recommendation() {
        return DiskRecommendation.forBlockDevice(this);
    }
}

package io.kvmj.core.image.block;

/** What kind of host block device backs a disk. */
public enum BlockDeviceKind {
    /** An LVM logical volume (device-mapper with a {@code LVM-} uuid). */
    LVM_LOGICAL_VOLUME,
    /** Another device-mapper target: dm-crypt, multipath, thin pools, ... */
    DEVICE_MAPPER,
    /** A ZFS volume ({@code /dev/zdN}, linked from {@code /dev/zvol/POOL/NAME}). */
    ZFS_ZVOL,
    /** A loop device backed by a file. */
    LOOP,
    /** A network block device. */
    NBD,
    /** A Linux software RAID (md) array. */
    MD_RAID,
    /** A partition of a disk. */
    PARTITION,
    /** A whole disk (sd, vd, nvme, xvd, ...). */
    DISK
}

package io.kvmj.core.model;

/** How a disk is presented to the guest. */
public enum DiskBus {
    /** {@code virtio-blk-pci}. */
    VIRTIO_BLK,
    /** {@code scsi-hd} on a {@code virtio-scsi-pci} controller. */
    VIRTIO_SCSI,
    /** {@code ide-hd} on the board's IDE/AHCI bus (pc: PIIX IDE, q35: ICH9 AHCI). */
    IDE,
    /** {@code ide-hd} on an added {@code ich9-ahci} controller, one port per disk. */
    SATA
}

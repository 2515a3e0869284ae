package io.kvmj.core.model;

/**
 * How a disk is presented to the guest, and the longest {@code serial} each device carries in full
 * ({@link #maxSerialBytes()}; QEMU 7.2 cuts longer serials without an error, so kvmj refuses them).
 */
public enum DiskBus {
    /** {@code virtio-blk-pci}: the serial is answered to VIRTIO_BLK_T_GET_ID in VIRTIO_BLK_ID_BYTES = 20 bytes. */
    VIRTIO_BLK("virtio-blk", 20),
    /**
     * {@code scsi-hd} on a {@code virtio-scsi-pci} controller: VPD page 0x80 carries 36 bytes. Page 0x83
     * (device identification) defaults to the first 20 bytes of the serial, so kvmj also sets {@code device_id}
     * to the serial when it is longer than 20 bytes (newer QEMU refuses such a serial without {@code device_id}).
     */
    VIRTIO_SCSI("scsi-hd", 36),
    /** {@code ide-hd} on the board's IDE/AHCI bus (pc: PIIX IDE, q35: ICH9 AHCI); ATA IDENTIFY has 20 bytes. */
    IDE("ide-hd", 20),
    /** {@code ide-hd} on an added {@code ich9-ahci} controller, one port per disk; ATA IDENTIFY has 20 bytes. */
    SATA("ide-hd", 20);

    /** Longest serial a {@code scsi-hd} carries in VPD page 0x83 when {@code device_id} is not set. */
    public static final int SCSI_DEVICE_ID_DEFAULT_BYTES = 20;

    private final String device;
    private final int maxSerialBytes;

    DiskBus(String device, int maxSerialBytes) {
        this.device = device;
        this.maxSerialBytes = maxSerialBytes;
    }

    /** The QEMU device model, e.g. {@code ide-hd} (virtio-blk without its transport suffix). */
    public String device() { return device; }

    /** Longest serial, in UTF-8 bytes, the guest sees in full on this bus. */
    public int maxSerialBytes() { return maxSerialBytes; }
}

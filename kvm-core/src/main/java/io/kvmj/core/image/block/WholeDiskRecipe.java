package io.kvmj.core.image.block;

import io.kvmj.core.host.HostEnvironment;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import java.nio.charset.StandardCharsets;

/**
 * A whole host disk for a NAS guest that runs RAID or ZFS on it, with the safe settings of the NAS-on-KVM article
 * (reference 000): {@code host_device} on the path as given (keep {@code /dev/disk/by-id/...}, which survives
 * reboots and re-cabling), {@code cache=none} + {@code aio=native} (or {@code cache=writethrough} + threads where
 * O_DIRECT is refused), {@code discard=unmap} so the guest's TRIM reaches the disk, the host's logical and physical
 * block sizes, and the host disk's serial, WWN and "non-rotating" flag.
 *
 * <p>The bus is virtio-scsi ({@code scsi-hd}), not virtio-blk: virtio-blk carries a 20-byte serial and no WWN and
 * no rotation rate, so the guest's udev could only make {@code /dev/disk/by-id/virtio-SERIAL}. {@code scsi-hd}
 * answers VPD page 0x80 (serial, 36 bytes) and page 0x83 (an NAA designator from {@code wwn=}), so the guest gets
 * {@code /dev/disk/by-id/wwn-0x...} and {@code scsi-3<WWN>} names like on bare metal (Debian 12's udev; the serial is
 * the disk's {@code ID_SCSI_SERIAL}, {@code lsblk -o SERIAL}; without a WWN it names it by serial); a pool or array the guest
 * builds by id keeps working when the disks move to another host or back to real hardware. It also passes UNMAP
 * through and reports {@code rotation_rate}.
 *
 * <pre>{@code
 * BlockDevice d = new BlockDevices().inspect(Path.of("/dev/disk/by-id/ata-WDC_WD40EFRX_WD-1234"));
 * DiskSpec disk = WholeDiskRecipe.of(d).disk("nas0").build();
 * QemuCommand cmd = QemuCommandLine.defaults().render(GuestSpec.builder("nas").disk(disk).build());
 * }</pre>
 *
 * @param device   the host disk
 * @param directIo whether the disk can be opened with O_DIRECT (cache=none needs it)
 */
public record WholeDiskRecipe(BlockDevice device, boolean directIo) {

    /** The recipe for {@code device}, probing O_DIRECT with the project's one probe ({@link HostEnvironment}). */
    public static WholeDiskRecipe of(BlockDevice device) {
        return new WholeDiskRecipe(device, HostEnvironment.system().supportsDirectIo(device.device()));
    }

    /** The cache and aio part with its reason. */
    public DiskRecommendation recommendation() {
        return DiskRecommendation.forBlockDevice(device, directIo);
    }

    /**
     * A raw, virtio-scsi disk {@code id} with the recipe's settings, marked {@code raidOrZfsInGuest}; the host
     * disk's serial is taken only when the bus carries it whole (36 bytes). Override any of it on the builder
     * ({@code serial}/{@code wwn} for loop devices, which have none).
     */
    public DiskSpec.Builder disk(String id) {
        DiskSpec.Builder b = recommendation().disk(id).format(DiskFormat.RAW).bus(DiskBus.VIRTIO_SCSI).discard(true)
                .raidOrZfsInGuest(true).blockSizes(device.logicalBlockSize(), device.physicalBlockSize())
                .wwn(device.wwn());
        String serial = device.serial();
        if (serial != null && serial.getBytes(StandardCharsets.UTF_8).length <= DiskBus.VIRTIO_SCSI.maxSerialBytes()
                && serial.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            b.serial(serial);
        }
        if (!device.rotational()) {
            b.rotationRate(1);
        }
        return b;
    }
}

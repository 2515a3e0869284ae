package io.kvmj.launcher.storage;

import io.kvmj.core.model.DiskSpec;
import java.util.List;

/**
 * A disk {@link DiskHotplug#attach hot-plugged} into a running guest.
 *
 * @param drive     the drive name, as {@code kvmj disk list} shows it (the device id, e.g. {@code disk1}); pass it
 *                  to {@link DiskHotplug#detach}
 * @param deviceId  the QEMU device id ({@code device_add id=}), equal to {@code drive}
 * @param nodeNames the block nodes the disk owns, format node first (e.g. {@code disk1-fmt}, {@code disk1-file})
 * @param bus       where the device sits: a hot-plug root port ({@code hotplug0}) for virtio-blk on q35, the SCSI
 *                  bus ({@code scsi0.0}) for a SCSI disk, null when QEMU chose a slot of {@code pci.0} (pc)
 * @param spec      the disk as attached (recorded in the guest's {@code spec.json} when there is one)
 * @param warnings  soft concerns the renderer raised, as at launch (e.g. host caching under a guest RAID)
 */
public record AttachedDisk(String drive, String deviceId, List<String> nodeNames, String bus, DiskSpec spec,
                           List<String> warnings) {
    public AttachedDisk {
        nodeNames = List.copyOf(nodeNames);
        warnings = List.copyOf(warnings);
    }
}

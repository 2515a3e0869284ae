package io.kvmj.launcher.storage;

import java.util.List;

/**
 * A guest drive (a block device with its backing chain) as {@code query-block} and
 * {@code query-named-block-nodes} describe it.
 *
 * @param id          the device id the drive was given ({@code --disk} gives {@code disk0}, {@code disk1}, ...); for a
 *                    device without an id, its QOM path
 * @param device      the legacy block backend name ({@code -drive id=}), empty for {@code -blockdev} drives
 * @param qdev        the attached device as QEMU reports it (an id or a QOM path)
 * @param activeNode  the node the guest reads and writes (top of the chain), null for an empty drive
 * @param file        the active layer's file, null for an empty drive
 * @param format      the active layer's format driver, null for an empty drive
 * @param virtualSize the size the guest sees, in bytes (0 for an empty drive)
 * @param readOnly    the guest cannot write the drive
 * @param cache       cache flags of the active node as the guest runs it now (a virtio-blk guest driver that
 *                    does not enable the write cache turns writeback into writethrough), null for an empty drive
 * @param configuredCache the cache mode the drive was configured with (the device's {@code write-cache}
 *                    property), null when unknown or for an empty drive
 * @param chain       active layer first, then its backing images down to the base; empty for an empty drive
 */
public record DriveInfo(String id, String device, String qdev, String activeNode, String file, String format,
                        long virtualSize, boolean readOnly, CacheFlags cache, CacheFlags configuredCache,
                        List<ImageLayer> chain) {
    public DriveInfo {
        chain = List.copyOf(chain);
    }

    /** This drive with the configured cache mode filled in. */
    public DriveInfo withConfiguredCache(CacheFlags configured) {
        return new DriveInfo(id, device, qdev, activeNode, file, format, virtualSize, readOnly, cache, configured, chain);
    }

    /** True when a medium is inserted (always for disks; CD-ROM drives may be empty). */
    public boolean inserted() {
        return !chain.isEmpty();
    }

    /** True if {@code name} is this drive's id, backend name, qdev, or a node name in its chain. */
    public boolean answersTo(String name) {
        if (name.equals(id) || name.equals(qdev) || (!device.isEmpty() && name.equals(device))) {
            return true;
        }
        return chain.stream().anyMatch(l -> name.equals(l.node()) || name.equals(l.protocolNode()));
    }
}

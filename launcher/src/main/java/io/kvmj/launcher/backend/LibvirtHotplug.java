package io.kvmj.launcher.backend;

import io.kvmj.core.libvirt.DomainXml;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.launcher.GuestException;
import java.time.Duration;
import java.util.List;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * Disk hot-plug and resize of {@link LibvirtBackend} on a running domain, as {@code virsh attach-device --live},
 * {@code virsh detach-disk --live} and {@code virsh blockresize} do them: {@code virDomainAttachDeviceFlags} LIVE of
 * the {@code <disk>} kvmj's domain export writes for the disk ({@link DomainXml#hotplugDisk}),
 * {@code virDomainDetachDeviceFlags} LIVE of the disk's element in the live XML, then a bounded wait until the live XML
 * no longer has it (libvirt-java 0.5.4 has no listener for libvirt's {@code DEVICE_REMOVED} event: only the id
 * {@code Connect.DomainEventID.DEVICE_REMOVED}), and {@code virDomainBlockResize} BYTES.
 *
 * <pre>{@code
 * String vdb = LibvirtHotplug.attach(domain, DiskSpec.file("data", Path.of("/vm/data.raw")).build());
 * LibvirtHotplug.detach(domain, "vm1", vdb, Duration.ofSeconds(30));
 * }</pre>
 */
final class LibvirtHotplug {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int MAX_VIRTIO_DISKS = 26;

    private LibvirtHotplug() {
    }

    /** Attaches {@code disk} live at the first free {@code vdX} with the first free id {@code diskN}; returns vdX. */
    static String attach(Domain d, DiskSpec disk) throws LibvirtException {
        List<LibvirtDisk> disks = LibvirtDiskXml.disks(d.getXMLDesc(0));
        String dev = freeTarget(disks);
        String xml = DomainXml.hotplugDisk(disk.withId(freeId(disks)), dev).xml();
        d.attachDeviceFlags(xml, Domain.DeviceModifyFlags.LIVE);
        return dev;
    }

    /** The first {@code vdX} no disk of the domain has as its target dev. */
    static String freeTarget(List<LibvirtDisk> disks) {
        for (int i = 0; i < MAX_VIRTIO_DISKS; i++) {
            String dev = "vd" + (char) ('a' + i);
            if (disks.stream().noneMatch(x -> dev.equals(x.target()))) {
                return dev;
            }
        }
        throw new IllegalArgumentException("the domain has " + MAX_VIRTIO_DISKS + " virtio disks (vda..vdz) already");
    }

    /** The first {@code diskN} whose user alias {@code ua-diskN} no disk of the domain has. */
    static String freeId(List<LibvirtDisk> disks) {
        for (int i = 0; ; i++) {
            String alias = DomainXml.USER_ALIAS_PREFIX + "disk" + i;
            if (disks.stream().noneMatch(x -> alias.equals(x.alias()))) {
                return "disk" + i;
            }
        }
    }

    /**
     * Detaches disk {@code target} live and waits up to {@code timeout} until it is gone from the live XML.
     *
     * @throws GuestException no such disk, or still there after {@code timeout} (libvirt keeps the removal pending)
     */
    static void detach(Domain d, String name, String target, Duration timeout) throws LibvirtException {
        String xml = LibvirtDiskXml.diskElement(d.getXMLDesc(0), target);
        if (xml == null) {
            throw new GuestException("guest '" + name + "' has no disk '" + target + "'");
        }
        d.detachDeviceFlags(xml, Domain.DeviceModifyFlags.LIVE);
        long end = System.nanoTime() + timeout.toNanos();
        while (LibvirtDiskXml.diskElement(d.getXMLDesc(0), target) != null) {
            if (System.nanoTime() - end > 0) {
                throw new GuestException("the guest did not release disk '" + target + "' within "
                        + timeout.toSeconds() + " s (no OS running, or it does not support hot-unplug); the removal "
                        + "stays pending in libvirt");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GuestException("interrupted while waiting for the guest to release disk '" + target
                        + "'; the removal stays pending in libvirt");
            }
        }
    }

    /** {@code virDomainBlockResize} of disk {@code target} to {@code bytes}. */
    static void resize(Domain d, String target, long bytes) throws LibvirtException {
        d.blockResize(target, bytes, Domain.BlockResizeFlags.BYTES);
    }
}

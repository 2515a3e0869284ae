package io.kvmj.core.libvirt;

import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * One {@link DiskSpec} → one libvirt {@code <disk>} element: the writer of the domain's disks
 * ({@link DomainXmlWriter}) and of a disk to hot-plug on its own ({@link DomainXml#hotplugDisk}), so both say the
 * same. Where it goes on the guest's buses (target dev, bus, {@code <address>}) is the caller's choice.
 *
 * <pre>{@code
 * new DiskXmlWriter(notes, refusals).write(devices, disk, "disks[d0]", "vda", "virtio", null, null);
 * }</pre>
 */
final class DiskXmlWriter {
    private final List<LibvirtNote> notes;
    private final List<LibvirtNote> refusals;

    DiskXmlWriter(List<LibvirtNote> notes, List<LibvirtNote> refusals) {
        this.notes = notes;
        this.refusals = refusals;
    }

    /**
     * Appends {@code <disk>} for {@code d} to {@code parent} (an element, or an empty document for a stand-alone
     * {@code <disk>}); {@code f} is its path in the spec for notes and refusals, {@code iothread} the domain's
     * iothread number or null, {@code address} its {@code <address>} or null.
     */
    Element write(Node parent, DiskSpec d, String f, String dev, String bus, Integer iothread, Element address) {
        Document doc = parent instanceof Document x ? x : parent.getOwnerDocument();
        Element disk = doc.createElement("disk");
        parent.appendChild(disk);
        disk.setAttribute("device", "disk");
        Element driver = Xml.add(disk, "driver");
        driver.setAttribute("name", "qemu");
        driver.setAttribute("type", d.format().driver());
        if (d.format() == DiskFormat.VHDX) {
            refusals.add(new LibvirtNote(f + ".format", "vhdx: libvirt 9's disk formats have no vhdx (convert it "
                    + "with qemu-img to qcow2)"));
        }
        driver.setAttribute("cache", d.cache().qemuName());
        driver.setAttribute("io", d.aio().qemuName());
        if (d.discard()) {
            driver.setAttribute("discard", "unmap");
        }
        driver.setAttribute("detect_zeroes", d.detectZeroes().qemuName());
        if (iothread != null) {
            driver.setAttribute("iothread", String.valueOf(iothread));
        }
        source(disk, d);
        Element target = Xml.add(disk, "target");
        target.setAttribute("dev", dev);
        target.setAttribute("bus", bus);
        if (d.logicalBlockSize() != null || d.physicalBlockSize() != null) {
            Element bio = Xml.add(disk, "blockio");
            if (d.logicalBlockSize() != null) {
                bio.setAttribute("logical_block_size", String.valueOf(d.logicalBlockSize()));
            }
            if (d.physicalBlockSize() != null) {
                bio.setAttribute("physical_block_size", String.valueOf(d.physicalBlockSize()));
            }
        }
        if (d.readOnly()) {
            Xml.add(disk, "readonly");
        }
        if (d.serial() != null) {
            if (!d.serial().matches("[A-Za-z0-9_.+\\- ]+")) {
                refusals.add(new LibvirtNote(f + ".serial", "'" + d.serial() + "': libvirt takes disk serials of "
                        + "letters, digits, space and _ . + - only"));
            }
            Xml.text(disk, "serial", d.serial());
        }
        if (d.wwn() != null) {
            Xml.text(disk, "wwn", d.wwn().substring(2)); // libvirt: 16 hex digits, no 0x
        }
        if (d.rotationRate() != null) {
            target.setAttribute("rotation_rate", String.valueOf(d.rotationRate()));
        }
        boot(disk, f, d.bootIndex());
        alias(disk, d.id());
        if (address != null) {
            disk.appendChild(address);
        }
        if (d.disposable() || d.raidOrZfsInGuest()) {
            notes.add(new LibvirtNote(f, "disposable/raidOrZfsInGuest are kvmj checks; libvirt does not make them"));
        }
        if (d.iothread() != null && d.bus() != DiskBus.VIRTIO_BLK && d.bus() != DiskBus.VIRTIO_SCSI) {
            refusals.add(new LibvirtNote(f + ".iothread", "iothreads are for virtio disks"));
        }
        return disk;
    }

    /** {@code <boot order>} of a disk or CD-ROM; libvirt's orders start at 1. */
    void boot(Element e, String f, Integer bootIndex) {
        if (bootIndex == null) {
            return;
        }
        if (bootIndex < 1) {
            refusals.add(new LibvirtNote(f + ".bootIndex", bootIndex + ": libvirt boot orders start at 1"));
            return;
        }
        Xml.add(e, "boot").setAttribute("order", String.valueOf(bootIndex));
    }

    /** libvirt's user alias ({@code ua-ID}): QEMU's device id is then the spec's. */
    static void alias(Element e, String id) {
        Xml.add(e, "alias").setAttribute("name", DomainXml.USER_ALIAS_PREFIX + id);
    }

    private static void source(Element disk, DiskSpec d) {
        Element src = disk.getOwnerDocument().createElement("source");
        if (d.source() instanceof DiskSource.File file) {
            disk.setAttribute("type", "file");
            src.setAttribute("file", DomainXmlWriter.abs(file.path()));
        } else if (d.source() instanceof DiskSource.HostDevice hd) {
            disk.setAttribute("type", "block");
            src.setAttribute("dev", DomainXmlWriter.abs(hd.device()));
        } else {
            DiskSource.Nbd nbd = (DiskSource.Nbd) d.source();
            disk.setAttribute("type", "network");
            src.setAttribute("protocol", "nbd");
            if (nbd.export() != null) {
                src.setAttribute("name", nbd.export());
            }
            Element host = disk.getOwnerDocument().createElement("host");
            if (nbd.socketPath() != null) {
                host.setAttribute("transport", "unix");
                host.setAttribute("socket", DomainXmlWriter.abs(nbd.socketPath()));
            } else {
                host.setAttribute("name", nbd.host());
                host.setAttribute("port", String.valueOf(nbd.port()));
            }
            src.appendChild(host);
        }
        disk.appendChild(src);
    }
}

package io.kvmj.core.libvirt;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * kvmj guest specs to and from libvirt domain XML ({@code virsh define}/{@code virsh dumpxml}).
 *
 * <p>Export writes what libvirt runs with the same devices: disks (format, bus, cache, {@code io=}, discard,
 * detect_zeroes, serial, read-only, block sizes, boot order, iothreads), 9p shares as {@code <filesystem>} (same
 * access mode and mount tag), NICs with the same MAC, memory backing (memfd, hugepages, shared, prealloc, locked),
 * NUMA cells and numatune, vCPU topology, CPU model, VNC, serial ports, virtio-serial channels, rng, balloon and
 * passthrough {@code <hostdev>}. Device ids become user aliases ({@code ua-ID}). What libvirt cannot express is
 * either refused ({@link LibvirtRefusedException}) or listed in {@link DomainExport#notes()}; the whole spec also
 * rides along as JSON in {@code <metadata><kvmj:spec>}, so kvmj-only settings come back on import. For everything
 * libvirt expresses, the XML elements win over that metadata.
 *
 * <pre>{@code
 * DomainExport x = DomainXml.export(spec, Accelerator.TCG);  // AUTO becomes type='qemu'
 * Files.writeString(Path.of("vm1.xml"), x.xml());            // virsh define vm1.xml
 * x.notes().forEach(System.err::println);
 * DomainImport back = DomainXml.importXml(x.xml());          // back.spec().equals(spec)
 * String disk = DomainXml.hotplugDisk(DiskSpec.file("disk1", Path.of("/vm/data.raw")).format(DiskFormat.RAW)
 *         .build(), "vdb").xml();                              // virsh attach-device vm1 disk.xml --live
 * String backup = DomainXml.diskBackup(List.of("vda", "vdb"), "vdb", "/vm/vdb-backup.qcow2", "qcow2");
 *                                                              // virsh backup-begin vm1 backup.xml
 * }</pre>
 */
public final class DomainXml {
    /** Namespace of kvmj's {@code <metadata>} element. */
    public static final String KVMJ_NS = "https://kvmj.io/xmlns/libvirt/1";
    /** libvirt's prefix for user-chosen device aliases; the QEMU device id is the alias. */
    public static final String USER_ALIAS_PREFIX = "ua-";

    private DomainXml() {}

    /**
     * The domain for {@code spec}; {@code autoResolvesTo} is the accelerator written when the spec says AUTO
     * (libvirt has no such choice): {@link Accelerator#KVM} gives {@code type='kvm'}, otherwise {@code type='qemu'}.
     *
     * @throws LibvirtRefusedException when libvirt cannot run the spec as kvmj would, with every reason
     */
    public static DomainExport export(GuestSpec spec, Accelerator autoResolvesTo) {
        return new DomainXmlWriter(spec, autoResolvesTo).write();
    }

    /**
     * The kvmj spec of a libvirt domain document; elements and attributes kvmj does not model are listed in
     * {@link DomainImport#notImported()}.
     *
     * @throws LibvirtRefusedException when the document is not a domain kvmj can model at all (not XML, not a
     *                                 QEMU x86 domain, no name, a value kvmj refuses)
     */
    public static DomainImport importXml(String xml) {
        try {
            return new DomainXmlReader(xml).read();
        } catch (LibvirtRefusedException e) {
            throw e;
        } catch (RuntimeException e) {
            // a value kvmj cannot read (e.g. a number that is not one, an unknown cache mode): refused, not a crash
            throw new LibvirtRefusedException(java.util.List.of(new LibvirtNote("/domain",
                    "cannot read: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()))));
        }
    }

    /**
     * The {@code <disk>} element of {@code disk} on its own, for {@code virDomainAttachDeviceFlags}: as
     * {@link #export} writes the disk inside a domain, at target dev {@code dev} ({@code vdb}) on the virtio bus, with
     * the user alias {@code ua-ID}; libvirt picks its PCI slot. Only virtio-blk disks without an iothread (a domain's
     * iothreads are numbered by its spec) and without a boot index can be written so.
     *
     * @throws LibvirtRefusedException what libvirt cannot hot-plug as kvmj would, with every reason
     */
    public static DomainExport hotplugDisk(DiskSpec disk, String dev) {
        List<LibvirtNote> notes = new ArrayList<>();
        List<LibvirtNote> refusals = new ArrayList<>();
        String f = "disks[" + disk.id() + "]";
        if (disk.bus() != DiskBus.VIRTIO_BLK) {
            refusals.add(new LibvirtNote(f + ".bus", disk.bus().name().toLowerCase(java.util.Locale.ROOT)
                    + ": kvmj hot-plugs virtio-blk disks through libvirt (bus=virtio)"));
        }
        if (disk.iothread() != null) {
            refusals.add(new LibvirtNote(f + ".iothread", "an iothread of a running domain cannot be named by a spec"));
        }
        if (disk.bootIndex() != null) {
            refusals.add(new LibvirtNote(f + ".bootIndex", "a boot index does not apply to a hot-plugged disk"));
        }
        Document d = Xml.builder().newDocument();
        new DiskXmlWriter(notes, refusals).write(d, disk, f, dev, "virtio", null, null);
        if (!refusals.isEmpty()) {
            throw new LibvirtRefusedException(refusals);
        }
        return new DomainExport(Xml.write(d), notes);
    }

    /**
     * The {@code <domainbackup>} of a push-mode full backup of disk {@code dev} into a new image {@code file} (a path
     * on the daemon's host) of format {@code format} ({@code qcow2} or {@code raw}), for {@code virDomainBackupBegin}
     * without a checkpoint; every other disk of {@code disks} (the domain's target devs) is left out
     * ({@code backup='no'}).
     *
     * @throws IllegalArgumentException {@code dev} is not one of {@code disks}
     */
    public static String diskBackup(List<String> disks, String dev, String file, String format) {
        if (!disks.contains(dev)) {
            throw new IllegalArgumentException("no disk '" + dev + "' among " + disks);
        }
        Document d = Xml.builder().newDocument();
        Element root = d.createElement("domainbackup");
        d.appendChild(root);
        Element list = Xml.add(root, "disks");
        for (String t : disks) {
            Element disk = Xml.add(list, "disk");
            disk.setAttribute("name", t);
            if (t.equals(dev)) {
                disk.setAttribute("backup", "yes");
                disk.setAttribute("type", "file");
                Xml.add(disk, "target").setAttribute("file", file);
                Xml.add(disk, "driver").setAttribute("type", format);
            } else {
                disk.setAttribute("backup", "no");
            }
        }
        return Xml.write(d);
    }
}

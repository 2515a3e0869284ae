package io.kvmj.core.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvmj.core.model.BootDevice;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.CpuModel;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.PciHostDevice;
import io.kvmj.core.model.SmpTopology;
import io.kvmj.core.model.UsbHostDevice;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * libvirt's own test domains ({@code tests/qemuxml2argvdata} of libvirt 9.0.0, read from Debian's source tarball by
 * {@link LibvirtTestData}) imported by kvmj: each is imported, or refused with its reasons; every device element of
 * the document is either in the spec or listed as not imported (never dropped silently); and a few fields read as
 * the XML says.
 */
class LibvirtTestDataImportTest {
    static Map<String, String> domains;

    @BeforeAll
    static void load() throws IOException {
        domains = LibvirtTestData.domains();
    }

    static DomainImport imp(String file) {
        String xml = domains.get(file);
        assertNotNull(xml, file);
        return DomainXml.importXml(xml);
    }

    static long count(String xml, String regex) {
        Matcher m = Pattern.compile(regex).matcher(xml);
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Notes that say a whole device element of {@code kind} was left out. */
    static long leftOut(DomainImport i, String kind) {
        return i.notImported().stream().filter(n -> n.where().matches("/domain/devices/" + kind + "\\[.*\\]")
                && n.what().contains("not imported")).count();
    }

    @Test
    void everyDocumentImportsOrIsRefusedWithReasonsAndNoDeviceVanishes() {
        assertEquals(LibvirtTestData.FILES, List.copyOf(domains.keySet()));
        int imported = 0;
        int i686 = 0;
        for (Map.Entry<String, String> f : domains.entrySet()) {
            String name = f.getKey();
            String xml = f.getValue();
            DomainImport i;
            try {
                i = DomainXml.importXml(xml);
            } catch (LibvirtRefusedException e) {
                assertFalse(e.refusals().isEmpty(), name + ": a refusal names its reasons");
                continue;
            }
            imported++;
            GuestSpec g = i.spec();
            assertEquals(count(xml, "<disk[ >]"), g.disks().size() + g.cdroms().size() + leftOut(i, "disk"), name);
            assertEquals(count(xml, "<interface "), g.nics().size() + leftOut(i, "interface"), name);
            assertEquals(count(xml, "<filesystem[ >]"), g.shares().size() + leftOut(i, "filesystem"), name);
            assertEquals(count(xml, "<hostdev "), g.usbDevices().size() + g.pciDevices().size() + leftOut(i, "hostdev"), name);
            assertEquals(count(xml, "<serial "), g.serials().size() + leftOut(i, "serial"), name);
            assertEquals(count(xml, "<channel "), g.channels().size() + leftOut(i, "channel"), name);
            if (xml.contains("arch='i686'")) {
                i686++;
                assertTrue(i.notImported().stream().anyMatch(n -> n.where().equals("/domain/os/type/@arch")), name);
            }
        }
        assertEquals(13, imported, "all but graphics-vnc.xml (an IPv6 VNC listen address)");
        assertEquals(5, i686, "channel-virtio, hostdev-pci-address, hostdev-usb-address, net-virtio, numatune-memory");
    }

    @Test
    void diskCacheModesBusesAndFormatAreLibvirts() {
        DomainImport i = imp("disk-cache.xml");
        List<DiskSpec> d = i.spec().disks();
        assertEquals(List.of(CacheMode.WRITEBACK, CacheMode.UNSAFE, CacheMode.NONE, CacheMode.WRITETHROUGH),
                d.stream().map(DiskSpec::cache).toList());
        assertEquals(List.of(DiskBus.IDE, DiskBus.IDE, DiskBus.VIRTIO_SCSI, DiskBus.VIRTIO_BLK), d.stream().map(DiskSpec::bus).toList());
        assertTrue(d.stream().allMatch(x -> x.format() == DiskFormat.QCOW2));
        DiskSource vg = new DiskSource.HostDevice(Path.of("/dev/HostVG/QEMUGuest1"));
        DiskSource iscsi = new DiskSource.HostDevice(Path.of("/dev/disk/by-path/"
                + "ip-192.168.44.1:3260-iscsi-iqn.2011-02.lan.hdserver:hydrar-desktop.win7vm-lun-0"));
        assertEquals(List.of(vg, vg, vg, iscsi), d.stream().map(DiskSpec::source).toList());
        assertTrue(d.get(1).disposable(), "cache=unsafe only on a disposable disk");
        assertTrue(i.notImported().stream().anyMatch(n -> n.where().equals("/domain/devices/disk[target/@dev='sdb']")
                && n.what().contains("usb")), "the USB disk (cache directsync) is listed: " + i.notImported());
        assertEquals(214, i.spec().memory().sizeMiB()); // 219136 KiB
        assertEquals(MachineType.PC, i.spec().machine());
        assertNull(i.spec().machineVersion(), "machine='pc' is unversioned");
    }

    @Test
    void discardCdromAndBootOrder() {
        DomainImport i = imp("disk-discard.xml");
        GuestSpec g = i.spec();
        DiskSpec d = g.disks().get(0);
        assertEquals(new DiskSource.File(Path.of("/var/lib/libvirt/images/f14.img")), d.source());
        assertEquals(DiskFormat.QCOW2, d.format());
        assertEquals(DiskBus.VIRTIO_BLK, d.bus());
        assertTrue(d.discard(), "discard='unmap'");
        assertEquals(Path.of("/var/lib/libvirt/Fedora-14-x86_64-Live-KDE.iso"), g.cdroms().get(0).iso());
        assertEquals(List.of(BootDevice.CDROM, BootDevice.DISK), g.bootOrder());
        assertEquals(1024, g.memory().sizeMiB());
        assertEquals("test", g.name());
        assertEquals("92d7a226-cfae-425b-a6d3-00bbf9ec5c9e", g.uuid().toString());
        assertEquals(MachineType.PC, g.machine());
        assertNull(g.machineVersion(), "machine='pc' is unversioned");
        assertTrue(i.notImported().stream().anyMatch(n -> n.where().endsWith("driver/@discard")
                && n.what().contains("'ignore'")), "the CD-ROM's discard='ignore' is listed: " + i.notImported());
    }

    @Test
    void nicMacHostdevsSerialAndDiskSerial() {
        DomainImport net = imp("net-user.xml");
        assertEquals("00:11:22:33:44:55", net.spec().nics().get(0).mac());
        assertTrue(net.notImported().stream().anyMatch(n -> n.what().contains("rtl8139")), "the model change is listed");
        assertEquals(List.of(new PciHostDevice("0000:06:12.5")), imp("hostdev-pci-address.xml").spec().pciDevices());
        DomainImport usb = imp("hostdev-usb-address.xml");
        UsbHostDevice u = usb.spec().usbDevices().get(0);
        assertEquals(14, u.hostBus());
        assertEquals(6, u.hostAddr());
        assertTrue(usb.notImported().stream().anyMatch(n -> n.where().endsWith("/source/@guestReset")
                && n.what().contains("'uninitialized'")), "guestReset is listed: " + usb.notImported());
        GuestSpec serial = imp("serial-unix-chardev.xml").spec();
        assertEquals(Path.of("/tmp/serial-server.sock"), serial.serials().get(0).path());
        DomainImport ds = imp("disk-serial.xml");
        assertEquals("WD-WMAP9A966149", ds.spec().disks().get(0).serial());
        assertTrue(ds.notImported().stream().anyMatch(n -> n.where().contains("hdb") && n.what().contains("20 bytes")),
                "a 67-byte serial on IDE is listed, not cut: " + ds.notImported());
        assertTrue(ds.notImported().stream().anyMatch(n -> n.where().contains("'sda'") && n.what().contains("'sd'")),
                "the SD-card disk is listed: " + ds.notImported());
        assertEquals(1, ds.spec().disks().size());
        GuestSpec q35 = imp("q35.xml").spec();
        assertEquals(MachineType.Q35, q35.machine());
        assertEquals(2, q35.smp().cpus());
        assertEquals(2048, q35.memory().sizeMiB());
        // bus='sata' on controller 0 of q35 is the board's own ICH9 AHCI: kvmj's IDE bus there (SATA adds a controller)
        assertEquals(List.of(DiskBus.IDE), q35.disks().stream().map(DiskSpec::bus).toList());
        DomainImport numa = imp("numatune-memory.xml");
        assertEquals(new SmpTopology(2, 2, 1, 1), numa.spec().smp());
        assertTrue(numa.notImported().stream().noneMatch(n -> n.where().contains("@dies")), "dies='1' is no change");
        DomainImport huge = imp("hugepages-default.xml");
        assertEquals(Path.of("/dev/hugepages"), huge.spec().memory().backend().memPath());
        assertEquals(CpuModel.named("qemu64"), huge.spec().cpu());
        assertTrue(huge.notImported().stream().anyMatch(n -> n.where().equals("/domain/devices/controller[@type='usb']")
                && n.what().contains("piix3-uhci")), "the USB controller model is listed: " + huge.notImported());
    }

    @Test
    void whatKvmjCannotTakeIsListedOrRefused() {
        DomainImport fs = imp("fs9p.xml");
        assertTrue(fs.spec().shares().isEmpty());
        assertEquals(3, leftOut(fs, "filesystem"), "mount tags with '/' are listed: " + fs.notImported());
        try {
            imp("graphics-vnc.xml");
            fail("an IPv6 VNC listen address is refused");
        } catch (LibvirtRefusedException e) {
            assertTrue(e.refusals().toString().contains("2001:1:2:3:4:5:1234:1234"), e.refusals().toString());
        }
        assertEquals(1, leftOut(imp("channel-virtio.xml"), "channel"));
    }
}

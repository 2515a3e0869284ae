package io.kvmj.launcher.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LibvirtDiskXml} on a live domain XML in libvirt 9's shape (after a disk-only snapshot), an empty cdrom. */
class LibvirtDiskXmlTest {
    private static final String LIVE = """
            <domain type='qemu' id='3'>
              <name>vm1</name>
              <devices>
                <emulator>/usr/bin/qemu-system-x86_64</emulator>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2' cache='none'/>
                  <source file='/var/lib/vm/vm1-snap.qcow2' index='2'/>
                  <backingStore type='file' index='1'>
                    <format type='qcow2'/>
                    <source file='/var/lib/vm/vm1.qcow2'/>
                    <backingStore/>
                  </backingStore>
                  <target dev='vda' bus='virtio'/>
                  <alias name='virtio-disk0'/>
                </disk>
                <disk type='file' device='cdrom'>
                  <driver name='qemu' type='raw'/>
                  <target dev='sda' bus='sata'/>
                  <readonly/>
                  <alias name='sata0-0-0'/>
                </disk>
              </devices>
            </domain>""";

    @Test
    void disksWithTheirBackingChain() {
        List<LibvirtDisk> disks = LibvirtDiskXml.disks(LIVE);
        assertEquals(2, disks.size());
        LibvirtDisk vda = disks.get(0);
        assertEquals("vda", vda.target());
        assertEquals("virtio", vda.bus());
        assertEquals("virtio-disk0", vda.alias());
        assertEquals("none", vda.cache());
        assertEquals(List.of(new BackendDisk.Layer("/var/lib/vm/vm1-snap.qcow2", "qcow2", null),
                new BackendDisk.Layer("/var/lib/vm/vm1.qcow2", "qcow2", null)), vda.chain());
        LibvirtDisk cd = disks.get(1);
        assertEquals("cdrom", cd.device());
        assertTrue(cd.readOnly());
        assertFalse(cd.inserted());
        assertNull(cd.file());
    }

    @Test
    void snapshotXmlTakesOneDiskAndEscapes() {
        String x = LibvirtDiskXml.externalSnapshot(LibvirtDiskXml.disks(LIVE), "vda", "/tmp/a'b&.qcow2");
        assertEquals("<domainsnapshot><disks><disk name='vda' snapshot='external'><driver type='qcow2'/>"
                + "<source file='/tmp/a&apos;b&amp;.qcow2'/></disk><disk name='sda' snapshot='no'/></disks>"
                + "</domainsnapshot>", x);
    }

    @Test
    void theDiskElementToDetachAndTheNamesAHotPlugTakes() {
        String vda = LibvirtDiskXml.diskElement(LIVE, "vda");
        assertTrue(vda.startsWith("<disk") && vda.contains("<target bus=\"virtio\" dev=\"vda\"/>")
                && vda.strip().endsWith("</disk>") && !vda.contains("sata"), vda);
        assertEquals(LibvirtDiskXml.disks("<domain><devices>" + vda + "</devices></domain>"),
                List.of(LibvirtDiskXml.disks(LIVE).get(0)), "the same disk read back");
        assertNull(LibvirtDiskXml.diskElement(LIVE, "vdb"));
        List<LibvirtDisk> disks = LibvirtDiskXml.disks(LIVE);
        assertEquals("vdb", LibvirtHotplug.freeTarget(disks));
        assertEquals("disk0", LibvirtHotplug.freeId(disks), "virtio-disk0 is libvirt's alias, not ua-disk0");
    }
}

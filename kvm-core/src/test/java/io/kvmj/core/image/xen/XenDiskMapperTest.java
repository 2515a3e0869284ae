package io.kvmj.core.image.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.AioMode;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class XenDiskMapperTest {
    @Test
    void devicesFilesAndCdroms() {
        XenDiskMapper.Mapping m = XenDiskMapper.map(XenDiskParser.parseDiskLine(
            "disk = [ 'phy:/dev/vg/web,xvda,w', 'tap:qcow2:/srv/data.qcow2,xvdb,r', 'file:/iso/d.iso,hdc:cdrom,r',"
                + " ',hdd:cdrom,r', 'phy:/dev/vg/shared,xvdc1,w!' ]"), DiskBus.VIRTIO_BLK);
        assertEquals(3, m.disks().size());
        DiskSpec root = m.disks().get(0);
        assertEquals("xvda", root.id());
        assertEquals(new DiskSource.HostDevice(Path.of("/dev/vg/web")), root.source());
        assertEquals(CacheMode.NONE, root.cache());
        assertEquals(AioMode.NATIVE, root.aio());
        DiskSpec data = m.disks().get(1);
        assertInstanceOf(DiskSource.File.class, data.source());
        assertEquals(DiskFormat.QCOW2, data.format());
        assertTrue(data.readOnly());
        assertEquals(1, m.cdroms().size());
        assertEquals(Path.of("/iso/d.iso"), m.cdroms().get(0).iso());
        assertTrue(m.notes().stream().anyMatch(n -> n.contains("hdd")), m.notes().toString());
        assertTrue(m.notes().stream().anyMatch(n -> n.contains("w!")), m.notes().toString());
        assertTrue(m.notes().stream().anyMatch(n -> n.contains("partition")), m.notes().toString());
    }

    @Test
    void qcowVersion1NeedsConversion() {
        XenDiskException e = assertThrows(XenDiskException.class, () -> XenDiskMapper.map(
            XenDiskParser.parseDiskLine("disk = [ 'tap:qcow:/opt/xen/a.qcow,sda1,w' ]"), DiskBus.VIRTIO_BLK));
        assertTrue(e.getMessage().contains("kvmj img convert -O qcow2 /opt/xen/a.qcow"), e.getMessage());
    }
}

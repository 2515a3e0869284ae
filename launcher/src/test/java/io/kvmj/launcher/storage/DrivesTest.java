package io.kvmj.launcher.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmj.qmp.QmpJson;
import io.kvmj.qmp.command.QueryBlock;
import io.kvmj.qmp.command.QueryNamedBlockNodes;
import io.kvmj.qmp.model.BlockDeviceInfo;
import io.kvmj.qmp.model.BlockInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Drives#parse} on replies shaped like QEMU 7.2's after {@code blockdev-snapshot-sync} on a virtio-blk qcow2
 * disk (disk0), with a read-only raw scsi-hd (disk1) and an empty legacy CD-ROM drive (IDs and fields as QEMU sends
 * them; sizes shortened). Resolution against a real QEMU is covered by {@code DiskCliIT}.
 */
class DrivesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String BLOCKS = """
        [
         {"device": "", "qdev": "/machine/peripheral/disk0/virtio-backend", "inserted": {
           "node-name": "disk0-snap1", "ro": false, "drv": "qcow2", "file": "/d/ov.qcow2",
           "cache": {"no-flush": false, "direct": true, "writeback": true},
           "image": {"filename": "/d/ov.qcow2", "format": "qcow2", "virtual-size": 67108864, "actual-size": 200704,
             "backing-filename": "/d/base.qcow2",
             "backing-image": {"filename": "/d/base.qcow2", "format": "qcow2", "virtual-size": 67108864}}}},
         {"device": "", "qdev": "disk1", "inserted": {
           "node-name": "disk1-fmt", "ro": true, "drv": "raw", "file": "/d/b2.raw",
           "cache": {"no-flush": false, "direct": false, "writeback": true},
           "image": {"filename": "/d/b2.raw", "format": "raw", "virtual-size": 16777216}}},
         {"device": "ide1-cd0", "qdev": "/machine/unattached/device[23]"}
        ]""";

    private static final String NODES = """
        [
         {"node-name": "disk0-snap1", "drv": "qcow2", "file": "/d/ov.qcow2", "ro": false},
         {"node-name": "#block376", "drv": "file", "file": "/d/ov.qcow2", "ro": false},
         {"node-name": "disk1-fmt", "drv": "raw", "file": "/d/b2.raw", "ro": true},
         {"node-name": "disk1-file", "drv": "file", "file": "/d/b2.raw", "ro": true},
         {"node-name": "disk0-fmt", "drv": "qcow2", "file": "/d/base.qcow2", "ro": true},
         {"node-name": "disk0-file", "drv": "file", "file": "/d/base.qcow2", "ro": false}
        ]""";

    static List<DriveInfo> drives() throws Exception {
        // through the typed reply records, as Drives.query reads QEMU's replies
        List<BlockInfo> b = QmpJson.convert(JSON.readTree(BLOCKS), new QueryBlock().responseType(), "query-block");
        List<BlockDeviceInfo> n = QmpJson.convert(JSON.readTree(NODES), QueryNamedBlockNodes.flatNodes().responseType(),
            "query-named-block-nodes");
        return Drives.parse(b, n);
    }

    @Test
    void chainNodesAndIds() throws Exception {
        List<DriveInfo> all = drives();
        assertEquals(3, all.size());
        DriveInfo d0 = all.get(0);
        assertEquals("disk0", d0.id(), "virtio-blk: id from the QOM path of its backend");
        assertEquals("disk0-snap1", d0.activeNode());
        assertEquals("/d/ov.qcow2", d0.file());
        assertEquals(2, d0.chain().size());
        ImageLayer top = d0.chain().get(0);
        assertEquals("#block376", top.protocolNode());
        assertEquals("/d/base.qcow2", top.backingFile());
        assertEquals(200704L, top.actualSize());
        ImageLayer base = d0.chain().get(1);
        assertEquals("disk0-fmt", base.node(), "backing node found by file + format driver");
        assertEquals("disk0-file", base.protocolNode());
        assertTrue(base.readOnly());
        assertNull(base.actualSize());
        assertEquals("none", d0.cache().mode());

        DriveInfo d1 = all.get(1);
        assertEquals("disk1", d1.id(), "scsi-hd: qdev is the id itself");
        assertEquals("disk1-file", d1.chain().get(0).protocolNode());
        assertTrue(d1.readOnly());
        assertEquals("writeback", d1.cache().mode());

        DriveInfo cd = all.get(2);
        assertEquals("ide1-cd0", cd.id(), "no device id: the legacy backend name");
        assertFalse(cd.inserted());
        assertNull(cd.activeNode());
    }

    @Test
    void resolveByIdNodeOrQdev() throws Exception {
        List<DriveInfo> all = drives();
        assertEquals("disk0", Drives.resolve(all, "disk0").id());
        assertEquals("disk0", Drives.resolve(all, "disk0-fmt").id(), "a backing node names its drive");
        assertEquals("disk0", Drives.resolve(all, "disk0-snap1").id());
        assertEquals("disk1", Drives.resolve(all, "disk1-file").id());
        assertEquals("disk0", Drives.resolve(all, "/machine/peripheral/disk0/virtio-backend").id());
        assertEquals("ide1-cd0", Drives.resolve(all, "/machine/unattached/device[23]").id());
        UnknownDriveException e = assertThrows(UnknownDriveException.class, () -> Drives.resolve(all, "vda"));
        assertEquals("vda", e.drive());
        assertTrue(e.getMessage().contains("disk0 (node disk0-snap1, /d/ov.qcow2)"), e.getMessage());
        assertTrue(e.getMessage().contains("ide1-cd0 (empty)"), e.getMessage());
    }

    @Test
    void deviceIds() {
        assertEquals("vd0", Drives.deviceId("", "/machine/peripheral/vd0/virtio-backend"));
        assertEquals("hd", Drives.deviceId("", "/machine/peripheral/hd"));
        assertEquals("hd", Drives.deviceId("drive0", "hd"));
        assertEquals("drive0", Drives.deviceId("drive0", "/machine/unattached/device[3]"));
        assertEquals("/machine/unattached/device[3]", Drives.deviceId("", "/machine/unattached/device[3]"));
    }

    @Test
    void cacheModes() {
        assertEquals("unsafe", new CacheFlags(true, false, true).mode());
        assertEquals("directsync", new CacheFlags(false, true, false).mode());
        assertEquals("writethrough", new CacheFlags(false, false, false).mode());
    }
}

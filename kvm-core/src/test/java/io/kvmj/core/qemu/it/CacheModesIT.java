package io.kvmj.core.qemu.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.AioMode;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.DetectZeroes;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.QmpEndpoint;
import io.kvmj.core.qemu.QemuCommand;
import io.kvmj.core.qemu.QemuCommandLine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** All five cache modes, aio, formats and buses on real QEMU; checked through QMP query-block. */
class CacheModesIT {
    @TempDir
    static Path dir;
    static QemuUnderTest qemu;
    static Map<String, JsonNode> blockByNode = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        QemuUnderTest.requireQemu();
        GuestSpec.Builder b = GuestSpec.builder("cache-modes").accelerator(Accelerator.TCG).startPaused(true)
                .qmp(QmpEndpoint.unixServer(dir.resolve("qmp.sock")));
        for (CacheMode m : CacheMode.values()) {
            String id = "d-" + m.qemuName();
            Path img = QemuImages.create(dir.resolve(id + ".qcow2"), "qcow2", "16M");
            b.disk(DiskSpec.file(id, img).format(DiskFormat.QCOW2).cache(m).disposable(m == CacheMode.UNSAFE).build());
        }
        Path raw = QemuImages.create(dir.resolve("native.raw"), "raw", "8M");
        b.disk(DiskSpec.file("native", raw).cache(CacheMode.NONE).aio(AioMode.NATIVE).bus(DiskBus.VIRTIO_SCSI)
                .iothread("io0").discard(true).detectZeroes(DetectZeroes.UNMAP).serial("scsi,serial").build());
        Path uring = QemuImages.create(dir.resolve("uring.raw"), "raw", "8M");
        b.disk(DiskSpec.file("uring", uring).cache(CacheMode.DIRECTSYNC).aio(AioMode.IO_URING).bus(DiskBus.SATA)
                .blockSizes(512, 4096).build());
        Path vmdk = QemuImages.create(dir.resolve("legacy.vmdk"), "vmdk", "8M");
        b.disk(DiskSpec.file("vmdk", vmdk).format(DiskFormat.VMDK).readOnly(true).build());
        Path ide = QemuImages.create(dir.resolve("ide.raw"), "raw", "8M");
        b.disk(DiskSpec.file("ide", ide).bus(DiskBus.IDE).cache(CacheMode.WRITETHROUGH).bootIndex(1).build());
        QemuCommand cmd = QemuCommandLine.defaults().render(b.build());
        qemu = QemuUnderTest.startWithServerSocket(cmd, dir.resolve("qmp.sock"), dir);
        for (JsonNode dev : qemu.qmp().execute("query-block")) {
            JsonNode ins = dev.get("inserted");
            if (ins != null) {
                blockByNode.put(ins.get("node-name").asText(), dev);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (qemu != null) {
            qemu.close();
        }
    }

    @Test
    void everyCacheModeReportsTheDocumentedFlags() {
        for (CacheMode m : CacheMode.values()) {
            JsonNode dev = blockByNode.get("d-" + m.qemuName() + "-fmt");
            assertNotNull(dev, "disk for " + m + " missing from query-block: " + blockByNode.keySet());
            JsonNode cache = dev.get("inserted").get("cache");
            assertEquals(m.writeCache(), cache.get("writeback").asBoolean(), m + " writeback " + cache);
            assertEquals(m.direct(), cache.get("direct").asBoolean(), m + " direct " + cache);
            assertEquals(m.noFlush(), cache.get("no-flush").asBoolean(), m + " no-flush " + cache);
            assertEquals("qcow2", dev.get("inserted").get("drv").asText());
            assertEquals(dir.resolve("d-" + m.qemuName() + ".qcow2").toString(), dev.get("inserted").get("file").asText());
        }
    }

    @Test
    void theFiveModesAreDistinct() {
        assertEquals(5, blockByNode.keySet().stream().filter(k -> k.startsWith("d-")).map(k ->
                blockByNode.get(k).get("inserted").get("cache").toString()).distinct().count());
    }

    @Test
    void nativeAioScsiDiskWithIothreadAndDetectZeroes() throws Exception {
        JsonNode ins = blockByNode.get("native-fmt").get("inserted");
        assertTrue(ins.get("cache").get("direct").asBoolean());
        assertEquals("unmap", ins.get("detect_zeroes").asText());
        assertEquals("scsi,serial", qemu.qmp().execute("qom-get", Map.of("path", "/machine/peripheral/native", "property", "serial")).asText());
        JsonNode iothreads = qemu.qmp().execute("query-iothreads");
        assertTrue(iothreads.toString().contains("\"io0\""), iothreads.toString());
        String link = qemu.qmp().execute("qom-get", Map.of("path", "/machine/peripheral/scsi-io0", "property", "iothread")).asText();
        assertTrue(link.endsWith("io0"), link);
    }

    @Test
    void sataAndIdeAndReadOnlyVmdk() throws Exception {
        assertEquals(4096, qemu.qmp().execute("qom-get", Map.of("path", "/machine/peripheral/uring", "property", "physical_block_size")).asInt());
        assertEquals("ide-hd", qemu.qmp().execute("qom-get", Map.of("path", "/machine/peripheral/ide", "property", "type")).asText());
        JsonNode vmdk = blockByNode.get("vmdk-fmt").get("inserted");
        assertTrue(vmdk.get("ro").asBoolean());
        assertEquals("vmdk", vmdk.get("drv").asText());
        assertEquals("ich9-ahci", qemu.qmp().execute("qom-get", Map.of("path", "/machine/peripheral/ahci0", "property", "type")).asText());
        assertEquals(1, qemu.qmp().execute("qom-get", Map.of("path", "/machine/peripheral/ide", "property", "bootindex")).asInt());
    }
}

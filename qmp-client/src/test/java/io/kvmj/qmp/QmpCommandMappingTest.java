package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.qmp.command.BlockCommit;
import io.kvmj.qmp.command.BlockdevAdd;
import io.kvmj.qmp.command.HumanMonitorCommand;
import io.kvmj.qmp.command.QueryBlock;
import io.kvmj.qmp.command.QueryStatus;
import io.kvmj.qmp.command.Quit;
import io.kvmj.qmp.model.BlockInfo;
import io.kvmj.qmp.model.StatusInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic record-to-arguments / reply-to-record mechanism, and device_add/device_del over the wire. */
class QmpCommandMappingTest {
    @TempDir
    Path dir;

    @Test
    void recordComponentsBecomeArgumentsWithHyphenatedNamesAndNullsOmitted() {
        JsonNode args = QmpJson.toArguments(BlockCommit.active("job0", "drive0").arguments());
        assertEquals(QmpJson.object().put("job-id", "job0").put("device", "drive0"), args);
        JsonNode full = QmpJson.toArguments(
                new BlockCommit("j", "d", "b", null, "t", null, null, 5L, null, false, null).arguments());
        assertEquals("b", full.path("base-node").asText());
        assertEquals("t", full.path("top-node").asText());
        assertEquals(5, full.path("speed").asInt());
        assertTrue(full.has("auto-finalize"));
        assertEquals(6, full.size(), "null components omitted, no name()/responseType() leaking: " + full);
        assertNull(QmpJson.toArguments(new QueryStatus().arguments()), "no arguments member at all");
        assertNull(QmpJson.toArguments(new Quit().arguments()));
        assertEquals("command-line", QmpJson.toArguments(HumanMonitorCommand.of("info qtree").arguments())
                .fieldNames().next());
    }

    @Test
    void freeFormArgumentsAreFlattened() {
        JsonNode bd = QmpJson.toArguments(BlockdevAdd.of("qcow2", "disk0",
                Map.of("file", Map.of("driver", "file", "filename", "/a,b.qcow2"))).arguments());
        assertEquals("/a,b.qcow2", bd.path("file").path("filename").asText(), "commas survive: JSON, not -drive");
        assertThrows(IllegalArgumentException.class, () -> new BlockdevAdd(QmpJson.object()));
    }

    @Test
    void repliesMapToRecordsIgnoringUnknownFields() throws Exception {
        JsonNode status = QmpJson.mapper().readTree(
                "{\"status\": \"paused\", \"singlestep\": false, \"running\": false, \"future-field\": 1}");
        StatusInfo st = QmpJson.convert(status, new QueryStatus().responseType(), "query-status");
        assertEquals(new StatusInfo(false, "paused", false), st);
        JsonNode block = QmpJson.mapper().readTree("[{\"device\": \"drv0\", \"locked\": false, \"removable\": true,"
                + " \"type\": \"unknown\", \"inserted\": {\"node-name\": \"n0\", \"ro\": false, \"drv\": \"raw\","
                + " \"backing_file_depth\": 0, \"encrypted\": false, \"file\": \"/x.img\", \"image\": {\"filename\":"
                + " \"/x.img\", \"format\": \"raw\", \"virtual-size\": 1048576, \"actual-size\": 0}}}]");
        List<BlockInfo> blocks = QmpJson.convert(block, new QueryBlock().responseType(), "query-block");
        assertEquals(1048576, blocks.get(0).inserted().image().virtualSize());
        assertEquals("n0", blocks.get(0).inserted().nodeName());
        QmpProtocolException bad = assertThrows(QmpProtocolException.class,
                () -> QmpJson.convert(QmpJson.mapper().readTree("\"str\""), new QueryStatus().responseType(),
                        "query-status"));
        assertTrue(bad.getMessage().contains("query-status"), bad.getMessage());
    }

    @Test
    void deviceAddThenDeviceDelAwaitsDeviceDeletedEvenWhenTheEventPrecedesTheReply() throws Exception {
        try (FakeQmpServer server = FakeQmpServer.unix(dir.resolve("d.sock"))) {
            CompletableFuture<QmpClient> cf = QmpClient.connect(server.address(), QmpClientOptions.defaults());
            try (FakeQmpServer.Conn c = server.acceptAndNegotiate(true); QmpClient qmp = cf.get(10, TimeUnit.SECONDS)) {
                CompletableFuture<JsonNode> add = qmp.execute("device_add",
                        QmpJson.object().put("driver", "virtio-net-pci").put("id", "nic1"));
                JsonNode addReq = c.readRequest();
                assertEquals("device_add", addReq.path("execute").asText());
                assertEquals("nic1", addReq.path("arguments").path("id").asText());
                c.reply(addReq, "{}");
                assertEquals(0, add.get(10, TimeUnit.SECONDS).size());

                CompletableFuture<QmpEvent> del = qmp.deviceDel("nic1", Duration.ofSeconds(10));
                JsonNode delReq = c.readRequest();
                c.event("DEVICE_DELETED", "{\"device\": \"other\", \"path\": \"/machine/peripheral/other\"}");
                c.event("DEVICE_DELETED", "{\"device\": \"nic1\", \"path\": \"/machine/peripheral/nic1\"}");
                c.reply(delReq, "{}");
                assertEquals("/machine/peripheral/nic1", del.get(10, TimeUnit.SECONDS).dataText("path"));

                CompletableFuture<QmpEvent> missing = qmp.deviceDel("ghost", Duration.ofSeconds(10));
                c.error(c.readRequest(), "DeviceNotFound", "Device 'ghost' not found");
                ExecutionException e = assertThrows(ExecutionException.class, () -> missing.get(10, TimeUnit.SECONDS));
                assertEquals("DeviceNotFound", assertInstanceOf(QmpErrorException.class, e.getCause()).errorClass());
            }
        }
    }
}

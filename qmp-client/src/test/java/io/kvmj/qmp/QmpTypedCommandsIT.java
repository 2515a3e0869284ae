package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.qmp.command.Balloon;
import io.kvmj.qmp.command.BlockCommit;
import io.kvmj.qmp.command.BlockResize;
import io.kvmj.qmp.command.BlockStream;
import io.kvmj.qmp.command.BlockdevAdd;
import io.kvmj.qmp.command.BlockdevDel;
import io.kvmj.qmp.command.BlockdevSnapshotSync;
import io.kvmj.qmp.command.Cont;
import io.kvmj.qmp.command.DeviceAdd;
import io.kvmj.qmp.command.HumanMonitorCommand;
import io.kvmj.qmp.command.JobComplete;
import io.kvmj.qmp.command.JobDismiss;
import io.kvmj.qmp.command.Migrate;
import io.kvmj.qmp.command.MigrateIncoming;
import io.kvmj.qmp.command.QomGet;
import io.kvmj.qmp.command.QomList;
import io.kvmj.qmp.command.QomSet;
import io.kvmj.qmp.command.QueryBalloon;
import io.kvmj.qmp.command.QueryBlock;
import io.kvmj.qmp.command.QueryBlockstats;
import io.kvmj.qmp.command.QueryChardev;
import io.kvmj.qmp.command.QueryCpusFast;
import io.kvmj.qmp.command.QueryJobs;
import io.kvmj.qmp.command.QueryKvm;
import io.kvmj.qmp.command.QueryMigrate;
import io.kvmj.qmp.command.QueryName;
import io.kvmj.qmp.command.QueryStatus;
import io.kvmj.qmp.command.QueryVersion;
import io.kvmj.qmp.command.QueryVnc;
import io.kvmj.qmp.command.Quit;
import io.kvmj.qmp.command.Screendump;
import io.kvmj.qmp.command.SetPassword;
import io.kvmj.qmp.command.Stop;
import io.kvmj.qmp.command.SystemPowerdown;
import io.kvmj.qmp.command.SystemReset;
import io.kvmj.qmp.model.BlockInfo;
import io.kvmj.qmp.model.BlockStats;
import io.kvmj.qmp.model.ChardevInfo;
import io.kvmj.qmp.model.JobInfo;
import io.kvmj.qmp.model.ObjectPropertyInfo;
import io.kvmj.qmp.model.StatusInfo;
import io.kvmj.qmp.model.VersionInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed command records against real QEMU, including a snapshot / stream / commit job chain. */
class QmpTypedCommandsIT {
    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static String errorClass(Runnable r) {
        return assertThrows(QmpErrorException.class, r::run).errorClass();
    }

    @Test
    void typedCommandsAgainstRealQemu() throws Exception {
        Path sock = dir.resolve("qmp.sock");
        Path base = dir.resolve("base.img");
        Files.write(base, new byte[1 << 20]);
        try (QemuProcess qemu = QemuProcess.start("unix:" + sock + ",server=on,wait=off", dir, "-name", "kvmj-it",
                "-drive", "if=none,id=drv0,node-name=base0,format=raw,file=" + base);
                QmpClient qmp = QmpClient.connect(sock, QmpClientOptions.defaults()).get(30, TimeUnit.SECONDS)) {
            VersionInfo v = qmp.call(new QueryVersion());
            assertEquals(qmp.greeting().version(), v.qemu(), qemu.diagnostics());
            assertNotNull(v.packageName());
            StatusInfo st = qmp.call(new QueryStatus());
            assertTrue(st.running());
            assertEquals("running", st.status());
            assertEquals("kvmj-it", qmp.call(new QueryName()).name());
            assertNotNull(qmp.call(new QueryKvm()));
            assertNotNull(qmp.call(new QueryCpusFast()), "-machine none has no vCPUs: empty list");
            List<ChardevInfo> chardevs = qmp.call(new QueryChardev());
            assertTrue(chardevs.stream().anyMatch(c -> c.filename().contains(sock.toString()) && c.frontendOpen()),
                    chardevs.toString());
            assertFalse(qmp.call(new QueryVnc()).enabled());
            assertEquals(List.of(), qmp.call(new QueryJobs()));
            assertNull(qmp.call(new QueryMigrate()).status());
            assertEquals("DeviceNotActive", errorClass(() -> qmp.call(new QueryBalloon())));
            assertEquals("DeviceNotActive", errorClass(() -> qmp.call(new Balloon(1 << 30))));
            assertTrue(qmp.call(HumanMonitorCommand.of("info version")).contains(v.qemu().toString()));
            assertEquals("GenericError", errorClass(() -> qmp.call(Screendump.of(dir + "/s.ppm"))));
            assertEquals("GenericError", errorClass(() -> qmp.call(SetPassword.vnc("secret"))));
            assertEquals("GenericError", errorClass(() -> qmp.call(new MigrateIncoming("tcp:127.0.0.1:0"))));

            // QOM
            List<ObjectPropertyInfo> props = qmp.call(new QomList("/machine"));
            assertTrue(props.stream().anyMatch(p -> p.name().equals("type")), props.toString());
            assertEquals("none-machine", qmp.call(new QomGet("/machine", "type")).asText());
            qmp.call("object-add", QmpJson.mapper().valueToTree(
                    Map.of("qom-type", "throttle-group", "id", "tg0", "limits", Map.of())));
            qmp.call(new QomSet("/objects/tg0", "limits", QmpJson.object().put("iops-total", 100)));
            assertEquals(100, qmp.call(new QomGet("/objects/tg0", "x-iops-total")).asInt());

            // run state with events
            EventWaiter stop = qmp.awaitEvent("STOP", T);
            qmp.call(new Stop());
            stop.await();
            EventWaiter resume = qmp.awaitEvent("RESUME", T);
            qmp.call(new Cont());
            resume.await();
            EventWaiter reset = qmp.awaitEvent("RESET", T);
            qmp.call(new SystemReset());
            reset.await();
            EventWaiter powerdown = qmp.awaitEvent("POWERDOWN", T);
            qmp.call(new SystemPowerdown());
            powerdown.await();

            // device_add / device_del error paths (-machine none has no buses)
            assertEquals("GenericError", errorClass(() -> qmp.call(DeviceAdd.of("virtio-rng-pci", "rng0"))));
            QmpErrorException notFound = assertThrows(QmpErrorException.class,
                    () -> Futures.await(qmp.deviceDel("nope", T)));
            assertEquals("DeviceNotFound", notFound.errorClass());

            // block layer: add/resize/del nodes
            Path extra = dir.resolve("extra.img");
            Files.write(extra, new byte[1 << 20]);
            qmp.call(BlockdevAdd.of("file", "xf", Map.of("filename", extra.toString())));
            qmp.call(BlockdevAdd.of("raw", "xd", Map.of("file", "xf")));
            qmp.call(BlockResize.node("xd", 2 << 20));
            assertEquals(2 << 20, Files.size(extra));
            qmp.call(new BlockdevDel("xd"));
            qmp.call(new BlockdevDel("xf"));

            // snapshot chain base0 <- ov0 <- ov1, stream ov0 into ov1, then active commit into base0
            qmp.call(new BlockdevSnapshotSync("drv0", null, dir + "/ov0.qcow2", "ov0", "qcow2", null));
            qmp.call(BlockdevSnapshotSync.node("ov0", dir + "/ov1.qcow2", "ov1"));
            List<BlockInfo> blocks = qmp.call(new QueryBlock());
            assertEquals("ov1", blocks.get(0).inserted().nodeName(), blocks.toString());
            assertEquals(2, blocks.get(0).inserted().backingFileDepth());
            EventWaiter streamed = qmp.awaitEvent("BLOCK_JOB_COMPLETED", e -> "s1".equals(e.dataText("device")), T);
            qmp.call(new BlockStream("s1", "ov1", "base0", null, null, null, null, null, null, null));
            assertEquals("stream", streamed.await().dataText("type"));
            assertEquals(1, qmp.call(new QueryBlock()).get(0).inserted().backingFileDepth());

            EventWaiter ready = qmp.awaitEvent("BLOCK_JOB_READY", e -> "c1".equals(e.dataText("device")), T);
            qmp.call(new BlockCommit("c1", "drv0", null, null, null, null, null, null, null, null, false));
            ready.await();
            EventWaiter concluded = qmp.awaitEvent("JOB_STATUS_CHANGE",
                    e -> "c1".equals(e.dataText("id")) && "concluded".equals(e.dataText("status")), T);
            qmp.call(new JobComplete("c1"));
            concluded.await();
            List<JobInfo> jobs = qmp.call(new QueryJobs());
            assertEquals("concluded", jobs.get(0).status(), jobs.toString());
            qmp.call(new JobDismiss("c1"));
            assertEquals(List.of(), qmp.call(new QueryJobs()));
            assertEquals("base0", qmp.call(new QueryBlock()).get(0).inserted().nodeName());
            List<BlockStats> stats = qmp.call(new QueryBlockstats());
            assertTrue(stats.stream().anyMatch(s -> "drv0".equals(s.device())), stats.toString());
            List<BlockStats> nodes = qmp.call(new QueryBlockstats(true));
            assertTrue(nodes.stream().anyMatch(s -> "base0".equals(s.nodeName())), nodes.toString());

            // migration to a file through exec:, with MIGRATION events enabled via the generic execute
            qmp.call("migrate-set-capabilities", QmpJson.mapper().readTree(
                    "{\"capabilities\": [{\"capability\": \"events\", \"state\": true}]}"));
            EventWaiter migrated = qmp.awaitEvent("MIGRATION", e -> "completed".equals(e.dataText("status")), T);
            qmp.call(Migrate.to("exec:cat > " + dir.resolve("state.bin")));
            migrated.await();
            assertEquals("completed", qmp.call(new QueryMigrate()).status());

            EventWaiter shutdown = qmp.awaitEvent("SHUTDOWN", T);
            qmp.call(new Quit());
            shutdown.await();
            qmp.closeFuture().get(20, TimeUnit.SECONDS);
            assertTrue(qemu.waitForExit(20), qemu.diagnostics());
        }
    }
}

package io.kvmj.launcher.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.CreateOptions;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.QemuImg;
import io.kvmj.qmp.QmpJson;
import io.kvmj.qmp.command.BlockdevBackup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live block operations against a real QEMU (q35, TCG, not booted: the job mechanics need no guest). Data is
 * written into nodes with HMP {@code qemu-io} and checked from outside with {@code qemu-io -U} / {@code qemu-img}.
 */
class LiveStorageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final QemuImg img = new QemuImg();

    @TempDir
    Path dir;

    @BeforeAll
    static void qemu() {
        TestQemu.requireQemu();
    }

    private static String sh(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        return code + ":" + out;
    }

    private static boolean hasPattern(Path image, int pattern, String off, String len) throws Exception {
        String r = sh("qemu-io", "-U", "-r", "-f", "qcow2", "-c", "read -P " + pattern + " " + off + " " + len,
            image.toString());
        return r.startsWith("0:") && !r.contains("verification failed");
    }

    /**
     * Writes through the virtio-blk device's own block backend, as the guest would, then flushes so that
     * qcow2 metadata reaches the files and outside readers ({@code qemu-io -U}) see the data.
     */
    private static void guestWrite(TestQemu q, int pattern, String off, String len) {
        hmpIo(q, "write -P " + pattern + " " + off + " " + len);
        flush(q);
    }

    private static void flush(TestQemu q) {
        hmpIo(q, "flush");
    }

    private static void hmpIo(TestQemu q, String cmd) {
        ObjectNode a = QmpJson.object().put("command-line",
            "qemu-io -d /machine/peripheral/vd0/virtio-backend \"" + cmd + "\"");
        String out = q.qmp.call("human-monitor-command", a).asText();
        assertFalse(out.contains("rror"), out);
    }

    private static String activeNode(TestQemu q) {
        for (JsonNode b : q.qmp.call("query-block", null)) {
            if (b.path("qdev").asText().contains("vd0")) {
                return b.at("/inserted/node-name").asText();
            }
        }
        throw new AssertionError("vd0 not in query-block");
    }

    private static JsonNode info(Path p) throws Exception {
        String r = sh("qemu-img", "info", "-U", "--output=json", p.toString());
        assertTrue(r.startsWith("0:"), r);
        return JSON.readTree(r.substring(2));
    }

    private Path base() {
        Path base = dir.resolve("base.qcow2");
        img.create(base, CreateOptions.builder(ImageFormat.QCOW2).size(ByteSize.parse("64M")).build());
        return base;
    }

    @Test
    void snapshotWriteCommitResize() throws Exception {
        Path base = base();
        try (TestQemu q = TestQemu.start(base, dir)) {
            LiveStorage live = new LiveStorage(q.qmp, img);
            guestWrite(q, 0x11, "0", "1M");

            Path ov = dir.resolve("snap1.qcow2");
            live.externalSnapshot("disk0", ov, "snap1");
            assertEquals("snap1", activeNode(q));
            JsonNode ovInfo = info(ov);
            assertEquals(base.toAbsolutePath().toString(), ovInfo.get("backing-filename").asText());
            assertEquals("qcow2", ovInfo.get("backing-filename-format").asText());

            guestWrite(q, 0x22, "1M", "1M");
            assertTrue(hasPattern(ov, 0x22, "1M", "1M"));
            assertFalse(hasPattern(base, 0x22, "1M", "1M"), "the base is frozen after the snapshot");
            assertTrue(hasPattern(base, 0x11, "0", "1M"));

            List<JobProgress> seen = new ArrayList<>();
            live.commit("snap1", "snap1", null, seen::add);
            assertEquals("disk0", activeNode(q), "active commit pivots the guest back to the base");
            flush(q);
            assertTrue(hasPattern(base, 0x22, "1M", "1M"), "overlay data committed into the base");
            assertTrue(seen.stream().anyMatch(p -> "ready".equals(p.status())), seen.toString());
            assertEquals("commit", seen.get(0).type());
            assertTrue(q.qmp.call("query-jobs", null).isEmpty(), "job dismissed");

            live.resize("disk0", ByteSize.parse("128M"));
            assertEquals(128L << 20, info(base).get("virtual-size").asLong());
            JsonNode blk = q.qmp.call("query-block", null).get(0);
            assertEquals(128L << 20, blk.at("/inserted/image/virtual-size").asLong());
        }
    }

    @Test
    void streamAndBackup() throws Exception {
        Path base = base();
        try (TestQemu q = TestQemu.start(base, dir)) {
            LiveStorage live = new LiveStorage(q.qmp, img);
            guestWrite(q, 0x33, "0", "4M");
            Path ov = dir.resolve("top.qcow2");
            live.externalSnapshot("disk0", ov, "top");
            guestWrite(q, 0x44, "4M", "1M");

            List<JobProgress> seen = new ArrayList<>();
            live.stream("top", null, seen::add);
            flush(q);
            assertFalse(info(ov).has("backing-filename"), "streamed image stands alone");
            assertTrue(hasPattern(ov, 0x33, "0", "4M"));
            assertEquals("stream", seen.get(0).type());

            Path bk = dir.resolve("backup.qcow2");
            List<JobProgress> bseen = new ArrayList<>();
            assertEquals(64L << 20, live.virtualSize("top"));
            live.backup("top", bk, ImageFormat.QCOW2, bseen::add);
            assertTrue(sh("qemu-img", "compare", "-U", ov.toString(), bk.toString()).startsWith("0:"));
            assertTrue(hasPattern(bk, 0x44, "4M", "1M"));
            assertEquals("backup", bseen.get(0).type());
            JobProgress last = bseen.get(bseen.size() - 1);
            assertEquals(last.total(), last.current());
            assertTrue(q.qmp.call("query-jobs", null).isEmpty());
        }
    }

    @Test
    void failuresCarryQemuErrors() throws Exception {
        Path base = base();
        try (TestQemu q = TestQemu.start(base, dir)) {
            LiveStorage live = new LiveStorage(q.qmp, img);
            BlockJobException noBacking = assertThrows(BlockJobException.class,
                () -> live.commit("disk0", "disk0", null, JobProgressListener.NONE));
            assertFalse(noBacking.qemuError().isBlank());
            assertEquals("block-commit", noBacking.operation());

            BlockJobException unknown = assertThrows(BlockJobException.class,
                () -> live.resize("nope", ByteSize.parse("1G")));
            assertTrue(unknown.qemuError().contains("nope"), unknown.qemuError());

            // a backup target whose every write fails (blkdebug error injection): the job itself fails
            Path target = dir.resolve("bad.raw");
            img.create(target, CreateOptions.builder(ImageFormat.RAW).size(ByteSize.parse("64M")).build());
            guestWrite(q, 0x55, "0", "1M");
            ObjectNode add = QmpJson.object().put("driver", "raw").put("node-name", "bad");
            ObjectNode dbg = add.putObject("file").put("driver", "blkdebug");
            dbg.putArray("inject-error").addObject().put("event", "pwritev").put("errno", 5);
            dbg.putObject("image").put("driver", "file").put("filename", target.toString());
            q.qmp.call("blockdev-add", add);
            BlockdevBackup job = new BlockdevBackup("bk-fail", "disk0", "bad", "full", null, null, false);
            BlockJobException failed = assertThrows(BlockJobException.class,
                () -> new BlockJobRunner(q.qmp).run("blockdev-backup", "bk-fail", job,
                    JobProgressListener.NONE, java.time.Duration.ofMinutes(2)));
            assertTrue(failed.qemuError().contains("Input/output error"), failed.getMessage());
            assertEquals("bk-fail", failed.jobId());
            assertTrue(q.qmp.call("query-jobs", null).isEmpty(), "failed job dismissed too");
        }
    }

    @Test
    void requestCancelStopsARunningBackupAndAReadyActiveCommit() throws Exception {
        Path base = base();
        try (TestQemu q = TestQemu.start(base, dir)) {
            guestWrite(q, 0x66, "0", "16M");

            // asked before the job starts: none is started
            LiveStorage early = new LiveStorage(q.qmp, img);
            assertTrue(early.requestCancel().isEmpty());
            JobCancelledException notStarted = assertThrows(JobCancelledException.class,
                () -> early.backup("disk0", dir.resolve("early.qcow2"), ImageFormat.QCOW2, JobProgressListener.NONE));
            assertFalse(notStarted.started(), notStarted.getMessage());
            assertNoJobsNorTargets(q);

            // a running backup, rate-limited so that it is still copying when the cancel comes (from another thread)
            LiveStorage live = new LiveStorage(q.qmp, img).jobSpeed(1L << 20);
            List<String> cancelled = new ArrayList<>();
            JobCancelledException running = assertThrows(JobCancelledException.class,
                () -> live.backup("disk0", dir.resolve("slow.qcow2"), ImageFormat.QCOW2, p -> {
                    if (cancelled.isEmpty()) {
                        cancelled.add(p.status());
                        Thread t = new Thread(() -> live.requestCancel().ifPresent(cancelled::add));
                        t.start();
                        join(t);
                    }
                }));
            assertTrue(running.started(), running.getMessage());
            assertEquals(List.of("running", running.jobId()), cancelled);
            assertTrue(running.jobId().startsWith("kvmj-backup-"), running.jobId());
            assertNoJobsNorTargets(q);

            // an active commit that is ready: job-cancel abandons it (no pivot), unlike a soft block-job-cancel
            live.externalSnapshot("disk0", dir.resolve("top.qcow2"), "top");
            guestWrite(q, 0x77, "0", "1M");
            LiveStorage commit = new LiveStorage(q.qmp, img);
            List<String> statuses = new ArrayList<>();
            JobCancelledException ready = assertThrows(JobCancelledException.class,
                () -> commit.commit("top", "top", "disk0", p -> {
                    statuses.add(p.status());
                    if ("ready".equals(p.status())) {
                        commit.requestCancel();
                    }
                }));
            assertTrue(statuses.contains("ready"), statuses.toString());
            assertEquals("top", activeNode(q), "no pivot: the guest stays on the overlay");
            assertNoJobsNorTargets(q);
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void assertNoJobsNorTargets(TestQemu q) {
        assertTrue(q.qmp.call("query-jobs", null).isEmpty(), "job dismissed");
        for (JsonNode n : q.qmp.call("query-named-block-nodes", QmpJson.object().put("flat", true))) {
            assertFalse(n.path("node-name").asText().endsWith("-target"), "backup target detached: " + n);
        }
    }
}

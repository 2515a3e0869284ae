package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmj.launcher.cli.CliProcess.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interrupting {@code kvmj disk backup|commit} (the fat jar, as a process) while its QEMU job runs: the job is
 * cancelled and dismissed, the CLI says so in one stderr line and exits with 128 + the signal. The jobs run with
 * {@code --speed 1M} over 48 MiB of data, so they are still running when the signal comes (sent once the first
 * progress line is on stderr). The guest is a detached, paused (never booted) q35 machine with one qcow2 disk.
 */
class DiskJobCancelIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GUEST = "jobcancel-it";
    private static final String CANCELLED = "interrupted: cancelled job 'kvmj-";
    private static CliProcess cli;
    private static Path runtime;
    private static Path images;
    private static Path base;
    private static long pid = -1;

    @BeforeAll
    static void setUp() throws Exception {
        cli = CliProcess.inTempRuntime("kvmj-jobcancel-rt-");
        runtime = cli.runtime();
        CliProcess.requireImageTools();
        images = Files.createTempDirectory(Path.of("/tmp"), "kvmj-jobcancel-img-");
        base = images.resolve("base.qcow2");
        assertEquals(0, sh("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "64M").exit());
        // allocated data, so that a copy at 1 MiB/s takes about 48 s
        assertEquals(0, sh("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 0 48M", base.toString()).exit());
        Result run = kvmj("run", "--name", GUEST, "--paused", "--memory", "64", "--accel", "tcg", "--detach",
            "--json", "--disk", "path=" + base + ",format=qcow2");
        assertEquals(0, run.exit(), run.toString());
        pid = run.json().path("pid").asLong();
        assertTrue(pid > 0, run.out());
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (pid > 0) {
                Result stop = kvmj("stop", GUEST, "--timeout", "2");
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                assertEquals(0, stop.exit(), stop.toString());
            }
        } finally {
            for (Path dir : new Path[] {runtime, images}) {
                if (dir != null && Files.isDirectory(dir)) {
                    try (var s = Files.walk(dir)) {
                        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        }
    }

    @Test
    void ctrlCDuringBackupCancelsTheJobAndRemovesThePartialTarget() throws Exception {
        Path target = images.resolve("backup.qcow2");
        Result r = interrupted("INT", "backup disk0: ", "disk", "backup", GUEST, "disk0", target.toString(),
            "--speed", "1M");

        assertEquals(130, r.exit(), "128 + SIGINT: " + r);
        assertOneCancelLine(r);
        assertFalse(r.out().contains("backed up"), r.toString());
        assertNoJobs();
        assertFalse(Files.exists(target), "the partial backup is removed: " + r);
        Result nodes = kvmj("qmp", GUEST, "query-named-block-nodes");
        assertEquals(0, nodes.exit(), nodes.toString());
        for (JsonNode n : nodes.json()) {
            assertFalse(n.path("node-name").asText().endsWith("-target"), "backup target detached: " + n);
        }
    }

    @Test
    void sigtermDuringActiveCommitCancelsItAndTheGuestStaysOnTheOverlay() throws Exception {
        Path top = images.resolve("top.qcow2");
        Result snap = kvmj("disk", "snapshot", GUEST, "disk0", "--file", top.toString(), "--node", "top");
        assertEquals(0, snap.exit(), snap.toString());
        String io = JSON.writeValueAsString(JSON.createObjectNode().put("command-line",
            "qemu-io -d /machine/peripheral/disk0/virtio-backend \"write -P 0x77 0 48M\""));
        Result write = kvmj("qmp", GUEST, "human-monitor-command", io);
        assertEquals(0, write.exit(), write.toString());
        assertFalse(write.out().contains("rror"), write.toString());

        Result r = interrupted("TERM", "commit disk0: ", "disk", "commit", GUEST, "disk0", "--speed", "1M");

        assertEquals(143, r.exit(), "128 + SIGTERM: " + r);
        assertOneCancelLine(r);
        assertNoJobs();
        JsonNode d = drive0();
        assertEquals(top.toString(), d.path("file").asText(), "no pivot: the guest still writes to the overlay " + d);
        assertEquals(2, d.path("chain").size(), d.toString());

        // nothing is left that blocks the next job: an unlimited commit now completes
        Result commit = kvmj("disk", "commit", GUEST, "disk0");
        assertEquals(0, commit.exit(), commit.toString());
        d = drive0();
        assertEquals(base.toString(), d.path("file").asText(), d.toString());
        assertNoJobs();
    }

    /** Starts {@code kvmj args}, sends SIG{@code signal} once stderr shows {@code progress}, returns the result. */
    private static Result interrupted(String signal, String progress, String... args) throws Exception {
        Process p = cli.start(args);
        List<String> errLines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> running = new CompletableFuture<>();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    errLines.add(line);
                    if (line.startsWith(progress)) {
                        running.complete(null);
                    }
                }
            } catch (IOException e) {
                errLines.add("(reading stderr: " + e + ")");
            }
            running.complete(null);
            return String.join("\n", errLines);
        });
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> CliProcess.read(p.getInputStream()));
        try {
            running.get(120, TimeUnit.SECONDS);
            assertTrue(p.isAlive(), "the job must still run when the signal comes: " + errLines);
            Result kill = sh("kill", "-" + signal, Long.toString(p.pid()));
            assertEquals(0, kill.exit(), kill.toString());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("kvmj did not exit after SIG" + signal + "; stderr: " + errLines);
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
    }

    private static void assertOneCancelLine(Result r) {
        long lines = r.err().lines().filter(l -> l.contains(CANCELLED)).count();
        assertEquals(1, lines, "one line saying the job was cancelled: " + r);
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("kvmj disk ") && l.contains(": guest " + GUEST + ": "
            + CANCELLED)), r.toString());
        assertFalse(r.err().contains("failed"), r.toString());
    }

    private static void assertNoJobs() throws Exception {
        Result jobs = kvmj("qmp", GUEST, "query-jobs");
        assertEquals(0, jobs.exit(), jobs.toString());
        assertTrue(jobs.json().isArray() && jobs.json().isEmpty(), "no job left behind: " + jobs.out());
        Result blockJobs = kvmj("qmp", GUEST, "query-block-jobs");
        assertEquals(0, blockJobs.exit(), blockJobs.toString());
        assertTrue(blockJobs.json().isEmpty(), "no block job left behind: " + blockJobs.out());
    }

    private static JsonNode drive0() throws Exception {
        Result list = kvmj("disk", "list", GUEST, "--json");
        assertEquals(0, list.exit(), list.toString());
        return list.json().get(0);
    }

    private static Result kvmj(String... args) throws Exception {
        return cli.run(120, args);
    }

    private static Result sh(String... argv) throws Exception {
        return CliProcess.sh(120, argv);
    }
}

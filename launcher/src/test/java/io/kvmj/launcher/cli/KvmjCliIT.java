package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmj.core.qemu.QemuOpts;
import io.kvmj.launcher.cli.CliProcess.Result;
import io.kvmj.launcher.testutil.Requirements;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code kvmj} fat jar run as a process (built in {@code package}, before failsafe runs). */
class KvmjCliIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static Path runtime;

    static CliProcess cli;

    @BeforeAll
    static void setUp() throws IOException {
        cli = CliProcess.inTempRuntime("kvmj-cli-");
        runtime = cli.runtime();
    }

    @AfterAll
    static void tearDown() throws IOException {
        CliProcess.deleteTree(runtime);
    }

    static Process start(String... args) throws IOException {
        return cli.start(args);
    }

    static Result kvmj(String... args) throws Exception {
        return cli.run(90, args);
    }

    @Test
    void dryRunPrintsExactlyTheArgvThatRuns() throws Exception {
        String[] args = {"run", "--name", "cli-dry", "--paused", "--memory", "64", "--accel", "tcg", "--detach",
            "--qemu-arg", "-msg", "--qemu-arg", "timestamp=on", "--json"};
        Result dry = kvmj(concat(args, "--dry-run"));
        assertEquals(0, dry.exit(), dry.toString());
        java.util.List<String> planned = new java.util.ArrayList<>();
        JSON.readTree(dry.out()).path("argv").forEach(a -> planned.add(a.asText()));
        assertFalse(Files.exists(runtime.resolve("cli-dry")), "a dry run claims nothing");
        long pid = -1;
        try {
            Result run = kvmj(args);
            assertEquals(0, run.exit(), run.toString());
            pid = JSON.readTree(run.out()).path("pid").asLong();
            String raw = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
            assertEquals(planned, java.util.List.of(raw.substring(0, raw.length() - 1).split("\0", -1)),
                    "the dry run printed what runs");
            assertTrue(planned.contains("timestamp=on") && planned.stream().anyMatch(a -> a.contains("qga.sock")),
                    planned.toString());
        } finally {
            Result stop = kvmj("stop", "cli-dry", "--force");
            if (pid > 0) {
                assertEquals(0, stop.exit(), stop.toString());
            }
        }
    }

    static String[] concat(String[] a, String... more) {
        String[] r = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, r, a.length, more.length);
        return r;
    }

    @Test
    void detachedGuestListQmpStop() throws Exception {
        long pid = -1;
        try {
            Result run = kvmj("run", "--name", "cli-it", "--paused", "--memory", "64", "--accel", "tcg", "--detach", "--json");
            assertEquals(0, run.exit(), run.toString());
            JsonNode launched = JSON.readTree(run.out());
            pid = launched.path("pid").asLong();
            assertEquals("tcg", launched.path("accelerator").asText());
            // the CLI JVM has exited; the detached QEMU must still run
            assertTrue(Requirements.alive(pid), "detached QEMU must outlive the CLI");

            Result list = kvmj("list", "--json");
            assertEquals(0, list.exit(), list.toString());
            JsonNode guests = JSON.readTree(list.out());
            assertEquals(1, guests.size(), list.out());
            assertEquals("cli-it", guests.get(0).path("name").asText());
            assertEquals(pid, guests.get(0).path("pid").asLong());
            assertTrue(guests.get(0).path("detached").asBoolean());

            Result status = kvmj("qmp", "cli-it", "query-status");
            assertEquals(0, status.exit(), status.toString());
            assertEquals("prelaunch", JSON.readTree(status.out()).path("status").asText());

            // events: stream while another client resumes the guest
            Process events = start("events", "cli-it", "--count", "1", "--timeout", "60");
            try {
                java.io.BufferedReader evErr = new java.io.BufferedReader(
                        new java.io.InputStreamReader(events.getErrorStream(), StandardCharsets.UTF_8));
                String ready = CompletableFuture.supplyAsync(() -> {
                    try {
                        return evErr.readLine();
                    } catch (IOException e) {
                        return null;
                    }
                }).get(60, TimeUnit.SECONDS);
                assertTrue(ready != null && ready.contains("streaming QMP events"), String.valueOf(ready));
                Result cont = kvmj("qmp", "cli-it", "cont");
                assertEquals(0, cont.exit(), cont.toString());
                assertTrue(events.waitFor(60, TimeUnit.SECONDS), "events --count 1 did not end");
                assertEquals(0, events.exitValue());
                JsonNode ev = JSON.readTree(CliProcess.read(events.getInputStream()).strip());
                assertEquals("RESUME", ev.path("event").asText(), ev.toString());
                assertTrue(ev.path("timestamp").path("seconds").asLong() > 0);
            } finally {
                events.destroyForcibly();
            }
            assertEquals("running", JSON.readTree(kvmj("qmp", "cli-it", "query-status").out()).path("status").asText());

            Result bad = kvmj("qmp", "cli-it", "no-such-command");
            assertEquals(1, bad.exit(), bad.toString());
            assertTrue(bad.err().contains("CommandNotFound"), bad.toString());

            Result dup = kvmj("run", "--name", "cli-it", "--paused", "--memory", "64", "--detach");
            assertEquals(1, dup.exit(), dup.toString());
            assertTrue(dup.err().contains("already running"), dup.toString());

            Result stop = kvmj("stop", "cli-it", "--timeout", "2", "--json");
            assertEquals(0, stop.exit(), stop.toString());
            assertEquals("QUIT", JSON.readTree(stop.out()).path("how").asText(), stop.toString());
            assertFalse(Requirements.alive(pid), "stop must end QEMU");
            assertEquals(0, JSON.readTree(kvmj("list", "--json").out()).size());
            assertFalse(Files.exists(runtime.resolve("cli-it")), "stop removes the runtime directory");

            Result gone = kvmj("stop", "cli-it");
            assertEquals(1, gone.exit(), gone.toString());
            assertTrue(gone.err().contains("no running guest"), gone.toString());
        } finally {
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void foregroundRunShutsDownOnCtrlC() throws Exception {
        Process p = start("run", "--name", "cli-fg", "--paused", "--memory", "64", "--accel", "tcg");
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> CliProcess.read(p.getInputStream()));
        StringBuffer errText = new StringBuffer();
        CountDownLatch up = new CountDownLatch(1);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            // stderr line by line: the CLI says when the guest is up (QMP negotiated, Ctrl-C handler installed)
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    errText.append(line).append('\n');
                    if (line.contains("Ctrl-C shuts it down")) {
                        up.countDown();
                    }
                }
            } catch (IOException e) {
                // stream closed with the process
            }
            return errText.toString();
        });
        long qemuPid = -1;
        try {
            Path pidfile = runtime.resolve("cli-fg").resolve("qemu.pid");
            assertTrue(up.await(60, TimeUnit.SECONDS), "guest did not come up: " + errText);
            assertTrue(Files.isRegularFile(pidfile), "no QEMU pidfile once the guest is up: " + errText);
            qemuPid = Long.parseLong(Files.readString(pidfile).strip());
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "run did not end after SIGINT");
            String e = err.get(10, TimeUnit.SECONDS);
            assertEquals(0, p.exitValue(), out.get() + e);
            assertTrue(e.contains("shutting down guest cli-fg"), e);
            assertTrue(e.contains("ended: quit"), e);
            assertFalse(Requirements.alive(qemuPid));
            assertFalse(Files.exists(runtime.resolve("cli-fg")));
        } finally {
            p.destroyForcibly();
            if (qemuPid > 0) {
                ProcessHandle.of(qemuPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void dryRunCompletionAndUsageErrors() throws Exception {
        Path disk = Files.createTempFile(runtime, "d,isk", ".img");
        Result dry = kvmj("run", "--name", "cli-dry", "--accel", "tcg", "--dry-run",
                "--disk", "path=" + QemuOpts.escape("path", disk.toString()) + ",format=raw,cache=writethrough,bus=virtio",
                "--share", runtime + ",tag=hostshare,readonly=on", "--network", "user,hostfwd=tcp::2222-:22",
                "--kernel", disk.toString(), "--append", "console=ttyS0 quiet");
        assertEquals(0, dry.exit(), dry.toString());
        String line = dry.out().strip();
        assertTrue(line.startsWith("qemu-system-x86_64 "), line);
        assertTrue(line.contains("filename=" + QemuOpts.escape("path", disk.toString())), "comma in path doubled: " + line);
        assertTrue(line.contains("mount_tag=hostshare"), line);
        assertTrue(line.contains("'console=ttyS0 quiet'"), "shell-quoted: " + line);
        assertTrue(line.contains("-accel tcg"), line);
        assertFalse(Files.exists(runtime.resolve("cli-dry")), "dry run claims nothing");

        Result missing = kvmj("run", "--name", "cli-x", "--disk", "/no/such/disk.img", "--dry-run");
        assertEquals(2, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("no such file: /no/such/disk.img"), missing.toString());

        Result badKey = kvmj("run", "--name", "cli-x", "--disk", "path=" + QemuOpts.escape("path", disk.toString()) + ",speed=9", "--dry-run");
        assertEquals(2, badKey.exit(), badKey.toString());
        assertTrue(badKey.err().contains("unknown key 'speed'"), badKey.toString());

        Result completion = kvmj("generate-completion");
        assertEquals(0, completion.exit(), completion.toString());
        assertTrue(completion.out().contains("complete -F") && completion.out().contains("events"),
                "bash completion script lists the subcommands");
    }
}

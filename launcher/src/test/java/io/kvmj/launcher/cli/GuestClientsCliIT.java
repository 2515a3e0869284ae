package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.launcher.cli.CliProcess.Result;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.qmp.QmpClient;
import io.kvmj.qmp.QmpClientOptions;
import io.kvmj.qmp.QmpMonitor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several clients of one detached guest at once (issue 14): a second console or event stream is refused, not
 * queued; {@code stop} finds a QMP socket nobody holds.
 */
class GuestClientsCliIT {
    static Path runtime;
    static CliProcess cli;

    @BeforeAll
    static void setUp() throws IOException {
        cli = CliProcess.inTempRuntime("kvmj-clients-");
        runtime = cli.runtime();
    }

    @AfterAll
    static void tearDown() throws IOException {
        CliProcess.deleteTree(runtime);
    }

    private static long launch(String name) throws Exception {
        Result run = cli.run(90, "run", "--name", name, "--paused", "--memory", "64", "--accel", "tcg", "--detach",
                "--json");
        assertEquals(0, run.exit(), run.toString());
        return run.json().path("pid").asLong();
    }

    /** Starts {@code kvmj ARGS} and waits for a stderr line containing {@code ready}. */
    private static Process startUntil(String ready, String... args) throws Exception {
        Process p = cli.start(args);
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String l; (l = r.readLine()) != null; ) {
                    if (l.contains(ready)) {
                        return l;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        assertTrue(line != null, "kvmj " + String.join(" ", args) + " did not print '" + ready + "'");
        return p;
    }

    private static void kill(long pid) {
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void secondConsoleIsRefusedAndItsInputNeverReachesTheGuest() throws Exception {
        long pid = launch("cl-con");
        Process first = null;
        try {
            first = startUntil("connected to cl-con's console", "console", "cl-con");
            Process second = cli.start("console", "cl-con");
            try (OutputStream in = second.getOutputStream()) {
                in.write("echo SEC\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // refused before reading: fine
            }
            Result r = CliProcess.finish(second, 30, "second console");
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("console busy"), r.toString());
            assertFalse(r.err().contains("connected"), r.toString());
            // the first detaches with Ctrl-]; the console is free again and gets only the new client's bytes
            first.getOutputStream().write(new byte[] {'x', ConsoleCommand.ESCAPE});
            first.getOutputStream().flush();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS), "Ctrl-] did not detach");
            assertEquals(0, first.exitValue());
            Process third = startUntil("connected to cl-con's console", "console", "cl-con");
            third.getOutputStream().close(); // end of input detaches
            assertTrue(third.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, third.exitValue());
        } finally {
            if (first != null) {
                first.destroyForcibly();
            }
            kill(pid);
        }
    }

    @Test
    void secondEventStreamIsRefused() throws Exception {
        long pid = launch("cl-ev");
        Process first = null;
        try {
            first = startUntil("streaming QMP events", "events", "cl-ev", "--timeout", "120");
            Result second = cli.run(60, "events", "cl-ev", "--timeout", "5");
            assertEquals(1, second.exit(), second.toString());
            assertTrue(second.err().contains("busy"), second.toString());
            assertFalse(second.err().contains("streaming"), second.toString());
        } finally {
            if (first != null) {
                first.destroyForcibly();
            }
            kill(pid);
        }
    }

    @Test
    void stopUsesAFreeQmpSocketWhileAnotherClientHoldsTheFirst() throws Exception {
        long pid = launch("cl-stop");
        try (QmpMonitor other = QmpClient.open(runtime.resolve("cl-stop").resolve("qmp.sock"),
                QmpClientOptions.builder().name("foreign").connectTimeout(Duration.ofSeconds(10)).build())) {
            // a foreign client (not kvmj) holds qmp.sock
            assertEquals("prelaunch", other.call("query-status", null, Duration.ofSeconds(10)).path("status").asText());
            // and a kvmj client holds events.sock: no socket left, so stop must refuse rather than signal
            Process events = startUntil("streaming QMP events", "events", "cl-stop", "--timeout", "120");
            try {
                Result refused = cli.run(120, "stop", "cl-stop", "--timeout", "5");
                assertEquals(1, refused.exit(), refused.toString());
                assertTrue(refused.err().contains("QMP busy"), refused.toString());
                assertTrue(Requirements.alive(pid), "stop must not signal a guest it could not ask");
            } finally {
                events.destroy();
                events.waitFor(30, TimeUnit.SECONDS);
            }
            Result stop = cli.run(120, "stop", "cl-stop", "--timeout", "5", "--json");
            assertEquals(0, stop.exit(), stop.toString());
            JsonNode r = stop.json();
            assertEquals("QUIT", r.path("how").asText(), stop.toString());
            assertFalse(r.path("graceful").asBoolean(), "quit is a hard stop for the guest: " + stop);
            assertFalse(Requirements.alive(pid));
        } finally {
            kill(pid);
        }
    }

    @Test
    void stopSaysWhatItWaitsFor() throws Exception {
        // running, no OS: nothing answers the power button
        Result run = cli.run(90, "run", "--name", "cl-wait", "--memory", "64", "--accel", "tcg", "--detach", "--json");
        assertEquals(0, run.exit(), run.toString());
        long pid = run.json().path("pid").asLong();
        try {
            Result stop = cli.run(120, "stop", "cl-wait", "--timeout", "3");
            assertEquals(0, stop.exit(), stop.toString());
            assertTrue(stop.err().contains("ACPI power-down sent; waiting up to 3 s"), stop.toString());
            assertTrue(stop.err().contains("--force skips the wait"), stop.toString());
        } finally {
            kill(pid);
        }
    }

    @Test
    void aDeadDetachedGuestIsReportedAndKeepsItsLogsUntilRm() throws Exception {
        long pid = launch("cl-dead");
        Path dir = runtime.resolve("cl-dead");
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false));
        for (int i = 0; i < 100 && Requirements.alive(pid); i++) {
            Thread.sleep(50);
        }
        Result list = cli.run(60, "list", "--json");
        assertEquals(0, list.exit(), list.toString());
        JsonNode g = null;
        for (JsonNode n : list.json()) {
            if (n.path("name").asText().equals("cl-dead")) {
                g = n;
            }
        }
        assertTrue(g != null, "an exited detached guest is still listed: " + list);
        assertFalse(g.path("alive").asBoolean(), list.toString());
        Result qmp = cli.run(60, "qmp", "cl-dead", "query-status");
        assertEquals(1, qmp.exit(), qmp.toString());
        assertTrue(qmp.err().contains("is not running: its QEMU (pid " + pid + ") exited"), qmp.toString());
        assertTrue(qmp.err().contains("kvmj rm cl-dead"), qmp.toString());
        assertTrue(Files.exists(dir.resolve("console.log")) && Files.exists(dir.resolve("qemu.stderr")),
                "the logs must survive list and qmp");
        Result rm = cli.run(60, "rm", "cl-dead");
        assertEquals(0, rm.exit(), rm.toString());
        assertFalse(Files.exists(dir));
        Result again = cli.run(60, "rm", "cl-dead");
        assertEquals(1, again.exit(), again.toString());
    }

    @Test
    void diskListShowsTheConfiguredCacheAndSeparatelyWhatTheGuestRuns() throws Exception {
        Path img = runtime.resolve("wb.qcow2");
        assertEquals(0, CliProcess.sh(60, "qemu-img", "create", "-q", "-f", "qcow2", img.toString(), "16M").exit());
        // running, no OS: SeaBIOS's virtio-blk driver does not enable the write cache, so QEMU runs it writethrough
        Result run = cli.run(90, "run", "--name", "cl-wb", "--memory", "64", "--accel", "tcg", "--detach", "--json",
                "--disk", img + ",cache=writeback");
        assertEquals(0, run.exit(), run.toString());
        long pid = run.json().path("pid").asLong();
        try {
            JsonNode d = null;
            for (int i = 0; i < 60; i++) {
                Result list = cli.run(60, "disk", "list", "cl-wb", "--json");
                assertEquals(0, list.exit(), list.toString());
                d = list.json().get(0);
                assertEquals("writeback", d.at("/cache/mode").asText(), "configured, whatever the guest does: " + d);
                if (d.at("/guestCache/mode").asText().equals("writethrough")) {
                    break;
                }
                Thread.sleep(1000);
            }
            assertEquals("writethrough", d.at("/guestCache/mode").asText(), d.toString());
            Result text = cli.run(60, "disk", "list", "cl-wb");
            assertTrue(text.out().contains("cache=writeback (guest now: writethrough)"), text.toString());
        } finally {
            kill(pid);
        }
    }
}

package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** A second Ctrl-C in a foreground {@code kvmj run} forces the guest off at once (issue 14). */
class RunInterruptCliIT {
    static Path runtime;
    static CliProcess cli;

    @BeforeAll
    static void setUp() throws IOException {
        cli = CliProcess.inTempRuntime("kvmj-int-");
        runtime = cli.runtime();
    }

    @AfterAll
    static void tearDown() throws IOException {
        CliProcess.deleteTree(runtime);
    }

    private static void sigint(Process p) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
    }

    @Test
    void secondCtrlCDoesNotWaitOutThePowerDownTimeout() throws Exception {
        // no OS: nothing answers the ACPI power button, so the first Ctrl-C alone would wait the full 600 s
        Process p = cli.start("run", "--name", "int-fg", "--memory", "64", "--accel", "tcg", "--shutdown-timeout", "600");
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> CliProcess.read(p.getInputStream()));
        StringBuffer errText = new StringBuffer();
        CountDownLatch up = new CountDownLatch(1);
        CountDownLatch shuttingDown = new CountDownLatch(1);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    errText.append(line).append('\n');
                    if (line.contains("Ctrl-C shuts it down")) {
                        up.countDown();
                    }
                    if (line.contains("shutting down guest int-fg")) {
                        shuttingDown.countDown();
                    }
                }
            } catch (IOException e) {
                // closed with the process
            }
            return errText.toString();
        });
        long qemuPid = -1;
        try {
            assertTrue(up.await(60, TimeUnit.SECONDS), "guest did not come up: " + errText);
            qemuPid = Long.parseLong(Files.readString(runtime.resolve("int-fg").resolve("qemu.pid")).strip());
            sigint(p);
            assertTrue(shuttingDown.await(30, TimeUnit.SECONDS), "first Ctrl-C not acknowledged: " + errText);
            Thread.sleep(1000); // the power-down request is out; the ladder waits for the guest
            assertTrue(p.isAlive(), "nothing answers ACPI here: the first Ctrl-C alone must keep waiting");
            sigint(p);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "second Ctrl-C did not force the guest off: " + errText);
            String e = err.get(10, TimeUnit.SECONDS);
            assertTrue(e.contains("forcing guest int-fg off"), e);
            assertTrue(e.contains("ended: quit"), e);
            assertEquals(0, p.exitValue(), out.get() + e);
            assertFalse(Requirements.alive(qemuPid));
        } finally {
            p.destroyForcibly();
            if (qemuPid > 0) {
                ProcessHandle.of(qemuPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}

package io.kvmj.launcher.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.launcher.GuestRegistry;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM that launched a guest through the Launcher is SIGKILLed: its QEMU must be gone within 2 s (parent-death
 * signal), and the stale runtime directory is cleaned by discovery.
 */
class OrphanIT {
    @Test
    void qemuDiesWithSigkilledJvm() throws Exception {
        Path qemu = Requirements.qemu();
        Path runtime = TestRuntime.use();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Dkvmj.runtime.dir=" + runtime, "-cp",
                System.getProperty("java.class.path"), OrphanChild.class.getName(), qemu.toString(), "it-orphan")
                .redirectErrorStream(true).start();
        long qemuPid = -1;
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    String l;
                    while ((l = r.readLine()) != null) {
                        if (l.startsWith("READY") || l.startsWith("DIED")) {
                            return l;
                        }
                    }
                    return null;
                } catch (Exception e) {
                    return "ERROR " + e;
                }
            }).get(60, TimeUnit.SECONDS);
            assertNotNull(line, "child JVM ended without a READY line");
            assertTrue(line.startsWith("READY"), "QEMU must survive the end of its spawning thread: " + line);
            String[] f = line.split(" ");
            qemuPid = Long.parseLong(f[1]);
            assertEquals("PDEATHSIG", f[2]);
            assertTrue(Requirements.alive(qemuPid));

            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (Requirements.alive(qemuPid) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertFalse(Requirements.alive(qemuPid), "QEMU pid " + qemuPid + " survived its SIGKILLed JVM");
            // the dead guest's runtime directory is stale: discovery removes it
            assertTrue(Files.isDirectory(runtime.resolve("it-orphan")));
            assertTrue(GuestRegistry.find("it-orphan").isEmpty());
            assertFalse(Files.exists(runtime.resolve("it-orphan")), "stale runtime directory cleaned");
        } finally {
            child.destroyForcibly();
            if (qemuPid > 0) {
                ProcessHandle.of(qemuPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}

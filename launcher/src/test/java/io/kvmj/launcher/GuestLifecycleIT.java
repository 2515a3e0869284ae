package io.kvmj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.launcher.process.OrphanProtection;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lifecycle through the API on {@code -machine none} guests (no boot needed). */
class GuestLifecycleIT {
    static final List<String> NONE = List.of("-machine", "none", "-nodefaults", "-display", "none");
    static Launcher launcher;

    @BeforeAll
    static void setUp() {
        TestRuntime.use();
        launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(Requirements.qemu())
                .withReadyTimeout(Duration.ofSeconds(30)).withShutdownTimeout(Duration.ofSeconds(1)));
    }

    @Test
    void launchQueryListQuit() throws Exception {
        long t0 = System.nanoTime();
        Guest g = launcher.launchArgv("it-life", NONE);
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        try {
            LaunchTimings t = g.launchTimings();
            for (Duration phase : List.of(t.prepare(), t.spawn(), t.qmpReady(), t.firstStatus())) {
                assertFalse(phase.isNegative(), t.toString());
            }
            assertTrue(t.qmpReady().toNanos() > 0 && t.spawn().toNanos() > 0, t.toString());
            assertTrue(t.total().compareTo(wall) <= 0, t + " within the launch's " + wall);
            assertTrue(g.isAlive());
            assertEquals(OrphanProtection.PDEATHSIG, g.orphanProtection());
            assertEquals("running", g.status(Duration.ofSeconds(10)));
            assertEquals(GuestState.RUNNING, g.state());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(g.runtimeDir().path())));
            assertTrue(Files.exists(g.runtimeDir().qmpSocket()));
            assertTrue(Files.exists(g.runtimeDir().consoleSocket()));
            assertEquals(g.pid(), Long.parseLong(Files.readString(g.runtimeDir().pidFile()).strip()));
            assertEquals("tcg", g.accelerator().accelerator());

            // name unique per user
            LaunchException dup = assertThrows(LaunchException.class, () -> launcher.launchArgv("it-life", NONE));
            assertTrue(dup.getMessage().contains("already running"), dup.getMessage());

            // discoverable, and another client can use the server-mode QMP socket
            GuestInfo info = GuestRegistry.require("it-life");
            assertEquals(g.pid(), info.pid());
            assertTrue(info.alive());
            assertFalse(info.detached());
            assertTrue(GuestRegistry.list().stream().anyMatch(i -> i.name().equals("it-life")));
            try (var other = GuestRegistry.connect(info, Duration.ofSeconds(10))) {
                assertEquals("running", other.call("query-status").path("status").asText());
            }

            g.qmp().call("stop");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (g.state() != GuestState.PAUSED && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(GuestState.PAUSED, g.state());

            ShutdownResult r = g.quit();
            assertEquals(HowEnded.QUIT, r.how(), r.toString());
            assertEquals(0, r.exitCode());
            assertEquals("host-qmp-quit", r.shutdownReason());
            assertEquals(GuestState.EXITED, g.state());
            assertEquals(r, g.shutdown(Duration.ofSeconds(1)), "shutdown is idempotent");
        } finally {
            g.close();
        }
        assertFalse(Files.exists(g.runtimeDir().path()), "close removes the runtime directory");
        assertFalse(Requirements.alive(g.pid()));
        assertTrue(GuestRegistry.find("it-life").isEmpty());
    }

    @Test
    void machineWithoutAcpiSkipsThePowerdownAndQuits() {
        // -machine none has no ACPI (QEMU: no /machine property 'acpi'): close() goes straight to quit
        Guest g = launcher.launchArgv("it-noacpi", NONE);
        g.close();
        ShutdownResult r = g.result().orElseThrow();
        assertEquals(HowEnded.QUIT, r.how(), r.toString());
        assertEquals(List.of(ShutdownStep.QUIT), r.steps(), "no system_powerdown sent: " + r);
        assertEquals("host-qmp-quit", r.shutdownReason());
        assertFalse(g.isAlive());

        // a board whose ACPI is switched off is treated the same
        Guest off = launcher.launchArgv("it-acpioff", List.of("-machine", "q35,acpi=off", "-accel", "tcg", "-m", "64",
                "-nodefaults", "-display", "none"));
        try {
            ShutdownResult o = off.shutdown(Duration.ofSeconds(1));
            assertEquals(HowEnded.QUIT, o.how(), o.toString());
            assertEquals(List.of(ShutdownStep.QUIT), o.steps(), o.toString());
        } finally {
            off.close();
        }
    }

    @Test
    void shutdownLadderTriesAcpiFirstWhenTheBoardHasItThenQuits() {
        // q35 has ACPI, but with no OS nobody answers the power button: system_powerdown, then quit
        Guest g = launcher.launchArgv("it-ladder", List.of("-machine", "q35", "-accel", "tcg", "-m", "64",
                "-nodefaults", "-display", "none"));
        try {
            ShutdownResult r = g.shutdown(Duration.ofMillis(300));
            assertEquals(HowEnded.QUIT, r.how(), r.toString());
            assertEquals(List.of(ShutdownStep.SYSTEM_POWERDOWN, ShutdownStep.QUIT), r.steps(), r.toString());
            assertFalse(g.isAlive());
        } finally {
            g.close();
        }
    }

    @Test
    void killAndCrashAreReported() {
        Guest g = launcher.launchArgv("it-kill", NONE);
        try {
            ShutdownResult r = g.kill();
            assertEquals(HowEnded.KILLED, r.how());
            assertEquals(List.of(ShutdownStep.SIGKILL), r.steps());
            assertEquals(137, r.exitCode());
        } finally {
            g.close();
        }
        Guest c = launcher.launchArgv("it-crash", NONE);
        try {
            ProcessHandle.of(c.pid()).orElseThrow().destroyForcibly(); // someone else kills QEMU
            ShutdownResult r = c.awaitExit(Duration.ofSeconds(10)).orElseThrow();
            assertEquals(HowEnded.CRASHED, r.how());
            assertTrue(r.steps().isEmpty(), "kvmj sent nothing: " + r);
            GuestExitedException e = assertThrows(GuestExitedException.class,
                    () -> c.awaitConsole("never", Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains("exited"), e.getMessage());
        } finally {
            c.close();
        }
    }

    @Test
    void consoleTimeoutIsReportedWithContext() {
        Guest g = launcher.launchArgv("it-console", NONE);
        try {
            ConsoleTimeoutException e = assertThrows(ConsoleTimeoutException.class,
                    () -> g.awaitConsole("login:", Duration.ofMillis(200)));
            assertTrue(e.getMessage().contains("login:"), e.getMessage());
            g.send("hello\n"); // connects to the console socket; -machine none has no serial device to read it
        } finally {
            g.close();
        }
    }
}

package io.kvmj.launcher.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.launcher.testutil.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuProcessIT {
    @TempDir
    Path dir;

    @Test
    void spawnsWithoutForkAndTerminates() throws Exception {
        Path qemu = Requirements.qemu();
        Path pidfile = dir.resolve("q.pid");
        QemuProcess p = QemuProcess.start(List.of(qemu.toString(), "-machine", "none", "-nodefaults", "-display", "none",
                "-pidfile", pidfile.toString()), dir.resolve("err"), false, Duration.ofSeconds(10));
        try {
            assertEquals(OrphanProtection.PDEATHSIG, p.protection());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!(Files.isRegularFile(pidfile) && !Files.readString(pidfile).isBlank()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(p.pid(), Long.parseLong(Files.readString(pidfile).strip()),
                    "setpriv/setsid must exec, not fork: the pid we hold is QEMU's");
            // QEMU is in its own session (setsid), so a terminal's Ctrl-C does not reach it
            assertEquals(p.pid(), sessionId(p.pid()));
            assertTrue(p.isAlive());
            assertTrue(p.terminate(Duration.ofSeconds(10)));
            assertFalse(p.isAlive());
            // 0 when QEMU's handler ran ("terminating on signal 15"), 143 when SIGTERM came before it was installed
            int code = p.exitCode().getAsInt();
            assertTrue(code == 0 || code == 143, "exit " + code + ": " + p.stderrTail());
        } finally {
            p.kill(Duration.ofSeconds(5));
        }
    }

    @Test
    void missingBinaryIsQemuStartException() {
        QemuStartException e = assertThrows(QemuStartException.class, () -> QemuProcess.start(
                List.of(dir.resolve("no-such-qemu").toString(), "-version"), dir.resolve("err"), true, Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("no-such-qemu"), e.getMessage());
    }

    private static long sessionId(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[3]); // state ppid pgrp session
    }
}

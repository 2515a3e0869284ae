package io.kvmj.launcher.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.launcher.LaunchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeDirTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        System.setProperty("kvmj.runtime.dir", tmp.resolve("rt").toString());
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("kvmj.runtime.dir");
    }

    @Test
    void claimCreatesPrivateDirAndRefusesLiveName() throws Exception {
        RuntimeDir rd = RuntimeDir.claim("g1");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rd.path())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(RuntimeDir.base())));
        // launch in progress (our own JVM is the launcher): name is taken
        LaunchException e = assertThrows(LaunchException.class, () -> RuntimeDir.claim("g1"));
        assertTrue(e.getMessage().contains("already running"), e.getMessage());
        // a live "QEMU": use a sleep process whose command does not contain qemu -> pid reuse guard says stale
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            rd.writeInfo(Map.of("pid", Long.toString(sleep.pid())));
            assertFalse(rd.isLive(), "a non-qemu process with that pid must count as stale");
        } finally {
            sleep.destroyForcibly().waitFor();
        }
        assertEquals(1, RuntimeDir.all().size());
    }

    @Test
    void staleDirectoryIsReclaimed() throws Exception {
        RuntimeDir rd = RuntimeDir.claim("g2");
        Files.writeString(rd.pidFile(), "999999999\n");
        Files.writeString(rd.consoleLog(), "old");
        assertFalse(rd.isLive());
        RuntimeDir again = RuntimeDir.claim("g2");
        assertFalse(Files.exists(again.consoleLog()), "stale files must be gone");
        again.delete();
        assertFalse(Files.exists(again.path()));
        assertTrue(RuntimeDir.find("g2").isEmpty());
    }

    @Test
    void rejectsBadNamesAndForeignBase() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> RuntimeDir.claim("../x"));
        assertThrows(IllegalArgumentException.class, () -> RuntimeDir.claim("-x"));
        assertThrows(IllegalArgumentException.class, () -> RuntimeDir.claim("a b"));
        assertThrows(IllegalArgumentException.class, () -> RuntimeDir.claim("x".repeat(65)));
        Path loose = tmp.resolve("loose");
        Files.createDirectory(loose, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        System.setProperty("kvmj.runtime.dir", loose.toString());
        RuntimeDir.base();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(loose)));
    }
}

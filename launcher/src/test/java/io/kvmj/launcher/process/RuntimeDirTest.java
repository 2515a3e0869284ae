package io.kvmj.launcher.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.launcher.testutil.RuntimeDirProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RuntimeDirTest {
    @TempDir
    Path tmp;

    @RegisterExtension
    final RuntimeDirProperty runtime = RuntimeDirProperty.at(() -> tmp.resolve("rt"));

    @Test
    void claimCreatesPrivateDirAndRefusesLiveName() throws Exception {
        RuntimeDir rd = RuntimeDir.claim("g1");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rd.path())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(RuntimeDir.base())));
        // launch in progress (our own JVM is the launcher): name is taken
        RuntimeDirException e = assertThrows(RuntimeDirException.class, () -> RuntimeDir.claim("g1"));
        assertTrue(e.getMessage().contains("already running"), e.getMessage());
        // a live "QEMU": use a sleep process whose command does not contain qemu -> pid reuse guard says stale
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            rd.update(r -> r.toBuilder().pid(sleep.pid()).build());
            assertFalse(rd.isLive(), "a non-qemu process with that pid must count as stale");
        } finally {
            sleep.destroyForcibly().waitFor();
        }
        assertEquals(1, RuntimeDir.all().size());
    }

    @Test
    void theGuestRecordIsTypedJsonUpdatedInSteps() throws Exception {
        RuntimeDir rd = RuntimeDir.claim("g3");
        GuestRecord claimed = rd.record();
        assertEquals("g3", claimed.name());
        assertEquals(ProcessHandle.current().pid(), claimed.launcherPid());
        rd.update(r -> r.toBuilder().detached(true).argv(java.util.List.of("qemu-system-x86_64", "-name", "a,b"))
                .build());
        rd.update(r -> r.toBuilder().sshPort(2222).build());
        GuestRecord r = rd.record();
        assertTrue(r.isDetached());
        assertEquals(java.util.List.of("qemu-system-x86_64", "-name", "a,b"), r.argv(), "argv kept as a list");
        assertEquals(2222, r.sshPort());
        assertEquals(claimed.created(), r.created(), "earlier steps kept");
        String json = Files.readString(rd.infoFile());
        assertFalse(json.contains("null"), "unknown values are left out: " + json);
        // a newer kvmj may record more: read what we know, keep going
        Files.writeString(rd.infoFile(), json.replace("{", "{\"fromTheFuture\":1,"));
        assertEquals(2222, rd.record().sshPort());
        Files.writeString(rd.infoFile(), "not json");
        assertEquals(GuestRecord.named("g3"), rd.record(), "unreadable: only the name is known");
        rd.delete();
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

package io.kvmj.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save and restore with real QEMU (TCG): the guest's tmpfs marker and counter loop come back from the file. */
class SaveRestoreIT {
    @TempDir
    Path tmp;

    @Test
    void saveStopsTheGuestAndRestoreBringsItBack() throws Exception {
        Path qemu = Requirements.qemu();
        TestRuntime.use();
        MigrationTestGuest tg = new MigrationTestGuest(tmp);
        Launcher launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(qemu));
        Guest g = launcher.launch(tg.spec("sr-a"));
        Guest back = null;
        try {
            MigrationTestGuest.awaitReady(g);
            Path file = tmp.resolve("sr-a.kvmjsave");

            Files.writeString(file, "keep me");
            MigrationRefusedException exists = assertThrows(MigrationRefusedException.class, () ->
                    SaveRestore.save(MigrationSource.of(g), g.runtimeDir().path(), tg.spec("sr-a"), file,
                            MigrationOptions.defaults(), MigrationListener.NONE));
            assertTrue(exists.getMessage().contains("does not overwrite"), exists.getMessage());
            assertEquals("keep me", Files.readString(file));
            Files.delete(file);

            // interrupted: partial file removed, guest keeps running
            List<MigrationProgress> seen = new CopyOnWriteArrayList<>();
            Migration slow = SaveRestore.save(MigrationSource.of(g), g.runtimeDir().path(), tg.spec("sr-a"), file,
                    MigrationOptions.defaults().withSpeedMiBps(1), seen::add);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (seen.stream().noneMatch(p -> p.transferredBytes() > 0) && System.nanoTime() < deadline) {
                MigrationTestGuest.sleep(100);
            }
            slow.cancel("interrupted");
            MigrationException e = assertThrows(MigrationException.class, () -> slow.await(Duration.ofMinutes(2)));
            assertTrue(e.sourceRunning(), e.getMessage());
            assertFalse(Files.exists(file), "partial save file removed");
            tg.assertAlive(g);

            MigrationResult r = SaveRestore.save(MigrationSource.of(g), g.runtimeDir().path(), tg.spec("sr-a"), file,
                    MigrationOptions.defaults(), MigrationListener.NONE).await(Duration.ofMinutes(5));
            assertTrue(r.transferredBytes() > 0);
            assertFalse(g.isAlive(), "saved guest stopped");
            byte[] head = Files.readAllBytes(file);
            assertTrue(new String(head, 0, 12, StandardCharsets.US_ASCII).startsWith(SaveFile.MAGIC));

            back = SaveRestore.restore(launcher, file, null, Duration.ofMinutes(5));
            assertEquals("sr-a", back.name());
            tg.assertAlive(back);
            assertTrue(Files.exists(file), "restore keeps the file");
        } finally {
            g.close();
            if (back != null) {
                back.close();
            }
        }
    }

    @Test
    void aFileThatIsNotASaveIsOneLineError() throws Exception {
        Path f = tmp.resolve("junk");
        Files.writeString(f, "hello\n");
        MigrationException e = assertThrows(MigrationException.class, () ->
                SaveRestore.restore(Launcher.create(), f, null, Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("not a kvmj save file"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}

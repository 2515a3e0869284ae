package io.kvmj.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.NinePShare;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live migration on this host with real QEMU (TCG): one booted busybox guest moves from name to name; its tmpfs
 * marker and its counter loop must survive each move, and a refused, cancelled or broken migration must leave it
 * running where it was.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationIT {
    @TempDir
    static Path tmp;
    static MigrationTestGuest tg;
    static Launcher launcher;
    static Guest current;

    @BeforeAll
    static void boot() throws Exception {
        Path qemu = Requirements.qemu();
        TestRuntime.use();
        tg = new MigrationTestGuest(tmp);
        launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(qemu));
        current = launcher.launch(tg.spec("mig-a"));
        MigrationTestGuest.awaitReady(current);
    }

    @AfterAll
    static void end() {
        if (current != null) {
            current.close();
        }
    }

    private static MigrationOptions slow() {
        return MigrationOptions.defaults().withSpeedMiBps(1).withTimeout(Duration.ofMinutes(5));
    }

    @Test
    @Order(1)
    void aNinePShareIsRefusedBeforeAnythingStarts() {
        var spec = tg.spec(current.name()).toBuilder().share(NinePShare.of("host", tmp)).build();
        MigrationRefusedException e = assertThrows(MigrationRefusedException.class, () ->
                LiveMigration.toNewGuest(launcher, MigrationSource.of(current), spec, "mig-x", slow(),
                        MigrationListener.NONE));
        assertTrue(e.getMessage().contains("9p share 'host'"), e.getMessage());
        assertFalse(RuntimeDir.find("mig-x").isPresent());
    }

    @Test
    @Order(2)
    void aCancelledMigrationLeavesTheSourceRunning() {
        List<MigrationProgress> seen = new CopyOnWriteArrayList<>();
        Migration m = LiveMigration.toNewGuest(launcher, MigrationSource.of(current), tg.spec(current.name()),
                "mig-cancel", slow(), seen::add);
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (seen.stream().noneMatch(p -> p.transferredBytes() > 0) && System.nanoTime() < deadline) {
            MigrationTestGuest.sleep(100);
        }
        assertTrue(m.destination().isPresent(), "destination launched");
        Path destDir = m.destination().get().runtimeDir().path();
        m.cancel();
        MigrationException e = assertThrows(MigrationException.class, () -> m.await(Duration.ofMinutes(2)));
        assertTrue(e.sourceRunning(), e.getMessage());
        assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
        assertFalse(Files.exists(destDir), "destination runtime dir removed");
        assertTrue(current.isAlive());
        tg.assertAlive(current);
    }

    @Test
    @Order(3)
    void aKilledDestinationLeavesTheSourceRunning() {
        List<MigrationProgress> seen = new CopyOnWriteArrayList<>();
        Migration m = LiveMigration.toNewGuest(launcher, MigrationSource.of(current), tg.spec(current.name()),
                "mig-killed", slow(), seen::add);
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (seen.stream().noneMatch(p -> p.transferredBytes() > 0) && System.nanoTime() < deadline) {
            MigrationTestGuest.sleep(100);
        }
        Guest dest = m.destination().orElseThrow();
        Path destDir = dest.runtimeDir().path();
        ProcessHandle.of(dest.pid()).orElseThrow().destroyForcibly(); // SIGKILL
        MigrationException e = assertThrows(MigrationException.class, () -> m.await(Duration.ofMinutes(2)));
        assertTrue(e.sourceRunning(), e.getMessage());
        assertFalse(Files.exists(destDir), "destination runtime dir removed");
        tg.assertAlive(current);
    }

    @Test
    @Order(4)
    void theGuestMovesToANewNameWithItsMemoryAndProcesses() {
        Guest source = current;
        List<MigrationProgress> seen = new CopyOnWriteArrayList<>();
        Migration m = LiveMigration.toNewGuest(launcher, MigrationSource.of(source), tg.spec(source.name()), "mig-b",
                MigrationOptions.defaults().withMaxDowntime(Duration.ofMillis(500)), seen::add);
        MigrationResult r = m.await(Duration.ofMinutes(5));
        current = m.destination().orElseThrow();
        assertFalse(source.isAlive(), "source QEMU ended");
        assertFalse(Files.exists(source.runtimeDir().path()));
        assertTrue(r.transferredBytes() > 0, r.toString());
        assertNotNull(r.downtimeMs(), r.toString());
        String pinned = current.runtimeDir().readInfo().get("machine");
        assertTrue(pinned != null && pinned.startsWith("pc-i440fx-"), "pinned machine " + pinned);
        assertTrue(current.argv().stream().anyMatch(a -> a.contains("type=" + pinned)), current.commandLine());
        assertFalse(seen.isEmpty());
        tg.assertAlive(current);
    }

    @Test
    @Order(5)
    void postcopyMovesTheGuestToo() {
        Guest source = current;
        // keep memory busy so pre-copy does not converge on its own before the switch
        source.send("( while [ ! -e /run/stop ]; do dd if=/dev/zero of=/run/dirty bs=64k count=64 2>/dev/null; done ) &\n");
        Migration m = LiveMigration.toNewGuest(launcher, MigrationSource.of(source), tg.spec(source.name()), "mig-c",
                MigrationOptions.defaults().withPostcopy(true).withSpeedMiBps(8)
                        .withMaxDowntime(Duration.ofMillis(10)), MigrationListener.NONE);
        MigrationResult r = m.await(Duration.ofMinutes(5));
        current = m.destination().orElseThrow();
        MigrationTestGuest.sleep(3000);
        assertTrue(r.postcopy(), r.toString());
        assertTrue(current.isAlive(), "after post-copy: " + current.console().text());
        assertFalse(source.isAlive());
        current.send("touch /run/stop\n");
        try {
            tg.assertAlive(current);
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("after post-copy: " + e.getMessage() + "\nconsole:\n" + current.console().text(), e);
        }
    }
}

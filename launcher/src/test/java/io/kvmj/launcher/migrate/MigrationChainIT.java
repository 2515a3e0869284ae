package io.kvmj.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.NinePShare;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.SpecFile;
import io.kvmj.core.model.VncSpec;
import io.kvmj.launcher.cli.CliProcess;
import io.kvmj.launcher.cli.VncPasswordCliIT;
import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 16 on ONE booted busybox guest (TCG) with a 16 MiB qcow2 disk, moved along in order: refusals, a cancelled
 * and a broken migration, same-host, {@code copy-storage} (cancelled, then done), internal snapshots,
 * save/restore through the Java API; then the same guest through the real CLI: same-host, TCP on 127.0.0.1 to
 * {@code kvmj run --incoming}, Ctrl-C, {@code --copy-storage}, {@code snapshot}, {@code save}/{@code restore}.
 * After each move its tmpfs marker and counter loop must be intact ({@link MigrationTestGuest#assertAlive}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationChainIT {
    /** Created in {@link #boot} (a {@code @TempDir} field is not set yet in a per-class {@code @BeforeAll}). */
    private Path tmp;
    private Path runtime;
    private MigrationTestGuest tg;
    private Launcher launcher;
    private CliProcess cli;
    /** The guest as the API steps move it (detached, so the CLI steps can take it over). */
    private Guest current;
    /** The guest's name once the CLI steps move it. */
    private String cliName;

    @BeforeAll
    void boot() throws Exception {
        Path qemu = Requirements.qemu();
        runtime = TestRuntime.use();
        cli = CliProcess.require(runtime);
        tmp = Files.createTempDirectory("kvmj-mig-chain-");
        tg = new MigrationTestGuest(tmp);
        assertEquals(0, CliProcess.sh(60, "qemu-img", "create", "-q", "-f", "qcow2", tmp.resolve("d.qcow2").toString(),
                "16M").exit());
        launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(qemu).withDetached(true));
        // VNC with a password given as text: it must reach every destination and restore (issue 16 hardening)
        current = launcher.launch(tg.spec("mig-a", tmp.resolve("d.qcow2")).toBuilder()
                .vnc(VncSpec.loopback(freeVncDisplay()).withPassword(VNC_SECRET)).build());
        MigrationTestGuest.awaitReady(current);
    }

    @AfterAll
    void end() throws Exception {
        if (current != null && current.isAlive()) {
            current.kill();
        }
        for (String g : List.of("mig-b", "mig-c", "mig-d", "mig-e", "mig-r", "mc-b", "mc-c", "mc-d", "mc-e", "mc-r")) {
            if (Files.isDirectory(runtime.resolve(g))) {
                cli.run(60, "stop", g, "--force");
            }
        }
        if (tmp != null) {
            try (var s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static final String VNC_SECRET = "mIg-pw#7";

    static int freeVncDisplay() {
        for (int d = 0; d < 100; d++) {
            try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new java.net.InetSocketAddress("127.0.0.1", 5900 + d));
                return d;
            } catch (java.io.IOException e) {
                // taken
            }
        }
        throw new IllegalStateException("no free VNC display");
    }

    /** The guest's VNC asks for the password given at its first launch: a wrong one is refused, it lets one in. */
    static void assertVncPassword(io.kvmj.qmp.QmpMonitor qmp) throws Exception {
        var vnc = qmp.call("query-vnc");
        assertEquals("vnc", vnc.path("auth").asText(), vnc.toString());
        int port = Integer.parseInt(vnc.path("service").asText());
        assertEquals(1, VncPasswordCliIT.rfbAuth(port, "wrong-pw"), "a wrong VNC password is refused");
        assertEquals(0, VncPasswordCliIT.rfbAuth(port, VNC_SECRET), "the guest's VNC password lets a client in");
    }

    private GuestConsole console() {
        return GuestConsole.of(current);
    }

    private static MigrationOptions slow() {
        return MigrationOptions.defaults().withSpeedMiBps(1).withTimeout(Duration.ofMinutes(5));
    }

    private Migration moveTo(String name, MigrationOptions o, MigrationListener l) {
        return LiveMigration.toNewGuest(launcher, MigrationSource.of(current), SpecFile.readWithSecrets(
                current.runtimeDir().path()).orElseThrow(), name, o, l);
    }

    private static void awaitSent(List<MigrationProgress> seen, String status) {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (seen.stream().noneMatch(p -> p.transferredBytes() > 0 && (status == null || status.equals(p.status())))
                && System.nanoTime() < deadline) {
            MigrationTestGuest.sleep(100);
        }
    }

    static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    @Test
    @Order(1)
    void whatCannotMoveIsRefusedBeforeAnythingStarts() throws Exception {
        var spec = tg.spec(current.name()).toBuilder().share(NinePShare.of("host", tmp)).build();
        MigrationRefusedException nineP = assertThrows(MigrationRefusedException.class, () ->
                LiveMigration.toNewGuest(launcher, MigrationSource.of(current), spec, "mig-x", slow(),
                        MigrationListener.NONE));
        assertTrue(nineP.getMessage().contains("9p share 'host'"), nineP.getMessage());
        Files.writeString(tmp.resolve("taken.qcow2"), "keep");
        MigrationRefusedException taken = assertThrows(MigrationRefusedException.class, () -> moveTo("mig-x",
                slow().withCopyStorage(true, Map.of("d0", tmp.resolve("taken.qcow2"))), MigrationListener.NONE));
        assertTrue(taken.getMessage().contains("exists; --copy-storage does not overwrite"), taken.getMessage());
        assertEquals("keep", Files.readString(tmp.resolve("taken.qcow2")));
        MigrationRefusedException noDisk = assertThrows(MigrationRefusedException.class, () -> moveTo("mig-x",
                slow().withCopyStorage(true, Map.of("d9", tmp.resolve("x.qcow2"))), MigrationListener.NONE));
        assertTrue(noDisk.getMessage().contains("no disk 'd9'"), noDisk.getMessage());
        assertFalse(RuntimeDir.find("mig-x").isPresent());

        // raw --qemu-arg: the spec cannot carry it (a paused QEMU suffices, nothing boots)
        try (Guest raw = launcher.launch(launcher.plan(tg.spec("mig-raw")).withExtraArgs(List.of("-S")))) {
            MigrationRefusedException e = assertThrows(MigrationRefusedException.class, () ->
                    LiveMigration.toNewGuest(launcher, MigrationSource.of(raw), tg.spec("mig-raw"), "mig-raw2",
                            slow(), MigrationListener.NONE));
            assertTrue(e.getMessage().contains("raw QEMU arguments (-S)"), e.getMessage());
            Path file = tmp.resolve("raw.kvmjsave");
            MigrationRefusedException s = assertThrows(MigrationRefusedException.class, () -> SaveRestore.save(
                    MigrationSource.of(raw), raw.runtimeDir().path(), tg.spec("mig-raw"), file, slow(),
                    MigrationListener.NONE));
            assertTrue(s.getMessage().contains("restore would start it without them"), s.getMessage());
            assertFalse(Files.exists(file));
            raw.kill();
        }
    }

    @Test
    @Order(2)
    void aCancelledAndABrokenMigrationLeaveTheSourceRunning() {
        List<MigrationProgress> seen = new CopyOnWriteArrayList<>();
        Migration m = moveTo("mig-cancel", slow(), seen::add);
        awaitSent(seen, null);
        Path destDir = m.destination().orElseThrow().runtimeDir().path();
        m.cancel();
        MigrationException e = assertThrows(MigrationException.class, () -> m.await(Duration.ofMinutes(2)));
        assertTrue(e.sourceRunning() && e.getMessage().contains("cancelled"), e.getMessage());
        assertFalse(Files.exists(destDir), "destination runtime dir removed");

        List<MigrationProgress> seen2 = new CopyOnWriteArrayList<>();
        Migration k = moveTo("mig-killed", slow(), seen2::add);
        awaitSent(seen2, null);
        Guest dest = k.destination().orElseThrow();
        ProcessHandle.of(dest.pid()).orElseThrow().destroyForcibly(); // SIGKILL
        MigrationException ke = assertThrows(MigrationException.class, () -> k.await(Duration.ofMinutes(2)));
        assertTrue(ke.sourceRunning(), ke.getMessage());
        assertFalse(Files.exists(dest.runtimeDir().path()), "destination runtime dir removed");
        tg.assertAlive(current);
    }

    @Test
    @Order(3)
    void theGuestMovesToANewNameWithItsMemoryAndProcesses() throws Exception {
        Guest source = current;
        List<MigrationProgress> seen = new CopyOnWriteArrayList<>();
        Migration m = moveTo("mig-b", MigrationOptions.defaults().withMaxDowntime(Duration.ofMillis(500)), seen::add);
        MigrationResult r = m.await(Duration.ofMinutes(5));
        current = m.destination().orElseThrow();
        assertFalse(source.isAlive(), "source QEMU ended");
        assertTrue(r.transferredBytes() > 0 && r.downtimeMs() != null, r.toString());
        String pinned = current.runtimeDir().record().machine();
        assertTrue(pinned != null && pinned.startsWith("pc-q35-"), "pinned machine " + pinned);
        assertFalse(seen.isEmpty());
        tg.assertAlive(current);
        assertVncPassword(current.qmp()); // the destination got the password, on a display of its own
    }

    @Test
    @Order(5)
    void aCancelledStorageCopyRemovesTheDestinationAndItsNewDisk() {
        MigrationTestGuest.fillDisk(console(), 6); // 6 MiB of data: at 1 MiB/s the mirror takes a while
        List<MigrationProgress> seen = new CopyOnWriteArrayList<>();
        Migration m = moveTo("mig-d", slow().withCopyStorage(true, Map.of()), seen::add);
        awaitSent(seen, "mirror");
        Path destDir = m.destination().orElseThrow().runtimeDir().path();
        Path target = tmp.resolve("d.mig-d.qcow2");
        assertTrue(Files.exists(target), "derived target next to the source: " + target);
        m.cancel();
        MigrationException e = assertThrows(MigrationException.class, () -> m.await(Duration.ofMinutes(2)));
        assertTrue(e.sourceRunning() && e.getMessage().contains("cancelled"), e.getMessage());
        assertFalse(Files.exists(destDir), "destination runtime dir removed");
        assertFalse(Files.exists(target), "new disk file removed");
        assertTrue(current.qmp().call("query-jobs").isEmpty(), "no mirror left on the source");
        tg.assertAlive(current);
    }

    @Test
    @Order(6)
    void copyStorageMovesTheDiskToANewFileAndLeavesTheSourceImageUntouched() throws Exception {
        Guest source = current;
        MigrationTestGuest.writeDisk(console(), 0, "before-" + tg.marker);
        Path srcImage = tmp.resolve("d.qcow2");
        String before = sha256(srcImage);
        Migration m = moveTo("mig-e", MigrationOptions.defaults().withCopyStorage(true, Map.of()),
                MigrationListener.NONE);
        m.await(Duration.ofMinutes(5));
        current = m.destination().orElseThrow();
        assertFalse(source.isAlive());
        Path target = tmp.resolve("d.mig-e.qcow2");
        var disk = SpecFile.read(current.runtimeDir().path()).orElseThrow().disks().get(0);
        assertEquals(target, ((DiskSource.File) disk.source()).path(), "destination runs on the new file");
        GuestConsole c = console();
        assertEquals("before-" + tg.marker, MigrationTestGuest.readDisk(c, 0), "data copied");
        MigrationTestGuest.writeDisk(c, 8, "after-" + tg.marker);
        assertEquals("after-" + tg.marker, MigrationTestGuest.readDisk(c, 8), "the destination writes its disk");
        assertEquals(before, sha256(srcImage), "source image untouched");
        tg.assertAlive(current);
    }

    @Test
    @Order(7)
    void internalSnapshotsRevertMemoryAndDisk() {
        Guest g = current;
        Duration t = Duration.ofMinutes(5);
        InternalSnapshots.create(g.qmp(), "s1", pct -> { }, t);
        List<InternalSnapshots.Entry> all = InternalSnapshots.list(g.qmp());
        assertEquals(1, all.size(), all.toString());
        assertTrue(all.get(0).tag().equals("s1") && all.get(0).vmStateSize() > 0, all.toString());
        assertThrows(GuestException.class, () -> InternalSnapshots.create(g.qmp(), "s1", pct -> { }, t));
        g.send("echo changed > /run/marker\n");
        assertEquals("changed", MigrationTestGuest.probe(g).marker());
        InternalSnapshots.revert(g.qmp(), "s1", pct -> { }, t);
        tg.assertAlive(g); // the marker is back and the counter loop runs
        InternalSnapshots.delete(g.qmp(), "s1", pct -> { }, t);
        assertTrue(InternalSnapshots.list(g.qmp()).isEmpty());
        GuestException none = assertThrows(GuestException.class,
                () -> InternalSnapshots.revert(g.qmp(), "s1", pct -> { }, t));
        assertTrue(none.getMessage().contains("no snapshot named 's1'"), none.getMessage());
    }

    @Test
    @Order(8)
    void saveStopsTheGuestAndRestoreBringsItBack() throws Exception {
        Guest g = current;
        var spec = SpecFile.readWithSecrets(g.runtimeDir().path()).orElseThrow();
        Path file = tmp.resolve("g.kvmjsave");
        Files.writeString(file, "keep me");
        MigrationRefusedException exists = assertThrows(MigrationRefusedException.class, () -> SaveRestore.save(
                MigrationSource.of(g), g.runtimeDir().path(), spec, file, slow(), MigrationListener.NONE));
        assertTrue(exists.getMessage().contains("does not overwrite"), exists.getMessage());
        assertEquals("keep me", Files.readString(file));
        Files.delete(file);

        List<MigrationProgress> seen = new CopyOnWriteArrayList<>();
        Migration interrupted = SaveRestore.save(MigrationSource.of(g), g.runtimeDir().path(), spec, file, slow(),
                seen::add);
        awaitSent(seen, null);
        interrupted.cancel("interrupted");
        MigrationException e = assertThrows(MigrationException.class, () -> interrupted.await(Duration.ofMinutes(2)));
        assertTrue(e.sourceRunning(), e.getMessage());
        assertFalse(Files.exists(file), "partial save file removed");

        MigrationResult r = SaveRestore.save(MigrationSource.of(g), g.runtimeDir().path(), spec, file,
                MigrationOptions.defaults(), MigrationListener.NONE).await(Duration.ofMinutes(5));
        assertTrue(r.transferredBytes() > 0);
        assertFalse(g.isAlive(), "saved guest stopped");
        byte[] head = Files.readAllBytes(file);
        assertTrue(new String(head, 0, 12, StandardCharsets.US_ASCII).startsWith(SaveFile.MAGIC));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)), "the save file holds memory and the VNC password");
        current = SaveRestore.restore(launcher, file, "mig-r", Duration.ofMinutes(5));
        tg.assertAlive(current);
        assertVncPassword(current.qmp()); // restored with the password given as text at the first launch
        assertTrue(Files.exists(file), "restore keeps the file");
        Path junk = tmp.resolve("junk");
        Files.writeString(junk, "hello\n");
        MigrationException notSave = assertThrows(MigrationException.class, () ->
                SaveRestore.restore(launcher, junk, null, Duration.ofSeconds(5)));
        assertTrue(notSave.getMessage().contains("not a kvmj save file"), notSave.getMessage());
        current.release(); // the CLI steps take the guest over (one console client at a time)
        cliName = current.name();
    }

    @Test
    @Order(9)
    void cliMovesTheGuestOnThisHostAndOverTcp() throws Exception {
        MigrationCliSteps.sameHostThenTcp(this, cli, runtime, tmp);
    }

    @Test
    @Order(10)
    void cliCtrlCCopyStorageSnapshotSaveRestore() throws Exception {
        MigrationCliSteps.ctrlCCopyStorageSnapshotSave(this, cli, runtime, tmp);
    }

    MigrationTestGuest guest() {
        return tg;
    }

    /** What the guest reads from the hot-plugged disk that stays attached through the CLI steps. */
    private String hotplugged;

    String hotplugged() {
        return hotplugged;
    }

    void hotplugged(String pattern) {
        hotplugged = pattern;
    }

    String cliName() {
        return cliName;
    }

    void cliName(String n) {
        cliName = n;
    }
}

package io.kvmj.launcher.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.cli.CliProcess;
import io.kvmj.launcher.migrate.MigrationTestGuest;
import io.kvmj.qmp.QmpEvent;
import io.kvmj.qmp.QmpSubscription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.function.Executable;

/**
 * The {@link GuestBackend} checks both backend ITs run, so the same calls are shown to mean the same on each:
 * events of a pause and a resume, an external snapshot and its commit, the console (and its busy refusal), a
 * save and restore keeping the guest's tmpfs marker, and a disk hot-plugged, grown and hot-unplugged as the guest sees it.
 */
final class BackendChecks {
    private static final Duration WAIT = Duration.ofSeconds(120);

    private BackendChecks() {
    }

    /** STOP and RESUME, in that order, for a pause and a resume done by {@code pauseResume}. */
    static void eventsOfAPauseAndAResume(GuestBackend b, String name, Executable pauseResume) throws Throwable {
        List<QmpEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch resumed = new CountDownLatch(1);
        try (QmpSubscription ev = b.events(name, e -> {
            seen.add(e);
            if (e.name().equals("RESUME")) {
                resumed.countDown();
            }
        })) {
            pauseResume.execute();
            assertTrue(resumed.await(WAIT.toSeconds(), TimeUnit.SECONDS), "RESUME within " + WAIT + ": " + seen);
        }
        List<String> names = seen.stream().map(QmpEvent::name).toList();
        assertTrue(names.indexOf("STOP") >= 0 && names.indexOf("STOP") < names.indexOf("RESUME"), names.toString());
        QmpEvent stop = seen.get(names.indexOf("STOP"));
        assertTrue(stop.timestamp() != null && stop.data() != null, "as kvmj events shows it: " + stop);
    }

    /**
     * A snapshot of the disk on {@code base} onto {@code overlay} (QEMU/libvirt creates it, backed by {@code base}),
     * then its commit back onto {@code base}; a second snapshot onto the same file and a commit with nothing below
     * are refused. Returns the disk's drive name.
     */
    static String snapshotAndCommit(GuestBackend b, String name, String base, Path overlay) throws Exception {
        BackendDisk disk = b.disks(name).stream().filter(d -> base.equals(d.file())).findFirst()
                .orElseThrow(() -> new AssertionError("no disk on " + base + ": " + b.disks(name)));
        assertEquals("qcow2", disk.format());
        assertEquals(List.of(), disk.backingFiles());
        BackendDisk snap = b.diskSnapshot(name, disk.drive(), overlay, false);
        assertEquals(overlay.toString(), snap.file(), snap.toString());
        assertEquals(List.of(base), snap.backingFiles(), snap.toString());
        assertEquals(snap, b.disks(name).stream().filter(d -> d.drive().equals(disk.drive())).findFirst().orElseThrow());
        CliProcess.Result info = CliProcess.sh(60, "qemu-img", "info", "-U", "--output=json", overlay.toString());
        assertEquals(base, info.json().path("backing-filename").asText(), info.out());
        GuestException again = assertThrows(GuestException.class,
                () -> b.diskSnapshot(name, disk.drive(), overlay, false));
        assertTrue(again.getMessage().contains("already exists"), again.getMessage());
        BackendDisk back = b.diskCommit(name, disk.drive(), null);
        assertEquals(base, back.file(), "pivoted back onto the base: " + back);
        assertEquals(1, back.chain().size(), back.toString());
        GuestException alone = assertThrows(GuestException.class, () -> b.diskCommit(name, disk.drive(), null));
        assertTrue(alone.getMessage().contains("nothing to commit"), alone.getMessage());
        return disk.drive();
    }

    /** The busybox guest's tmpfs marker, asked over an open console. */
    static String marker(BackendConsole con, ApiConsole out) throws InterruptedException {
        int n = MigrationTestGuest.nonce();
        con.send(MigrationTestGuest.probeCommand(n));
        return out.await(MigrationTestGuest.PROBE_REPLY.formatted(n), WAIT).group(1);
    }

    /**
     * Over the console: the marker; a second console is busy; then a save into {@code file} ends the console and stops
     * the guest, and a restore runs it again with the same marker.
     */
    static void consoleSaveAndRestore(GuestBackend b, String name, String marker, Path file) throws Exception {
        ApiConsole out = new ApiConsole();
        try (BackendConsole con = b.console(name, out)) {
            assertEquals(marker, marker(con, out));
            ConsoleBusyException busy = assertThrows(ConsoleBusyException.class, () -> b.console(name, x -> { }));
            assertTrue(busy.getMessage().startsWith("console busy"), busy.getMessage());
            b.save(name, file);
            assertTrue(con.awaitClosed(WAIT), "an open console ends with the saved guest");
        }
        assertTrue(Files.size(file) > 1 << 20, "the guest's memory is in the file: " + Files.size(file));
        assertTrue(b.list().stream().noneMatch(g -> g.name().equals(name) && g.active()), "stopped: " + b.list());
        GuestException notRunning = assertThrows(GuestException.class, () -> b.save(name, file.resolveSibling("x")));
        assertTrue(notRunning.getMessage().contains(name), notRunning.getMessage());
        BackendGuest g = b.restore(file);
        assertEquals(name, g.name());
        assertEquals("running", g.state());
        ApiConsole after = new ApiConsole();
        try (BackendConsole con = b.console(name, after)) {
            assertEquals(marker, marker(con, after), "the tmpfs of before the save: restored, not rebooted");
        }
    }

    /**
     * A new marked 8 MiB qcow2 {@code file} attached (the guest finds a new vdX starting with the marker, with the
     * serial given), grown to 16 MiB (the guest sees 32768 sectors; qemu-img agrees; a shrink without {@code shrink}
     * is refused), then detached (gone from the guest and from {@link GuestBackend#disks}). Returns the drive name.
     */
    static String attachResizeDetach(GuestBackend b, String name, Path file) throws Exception {
        String marker = "KVMJ-HP-" + MigrationTestGuest.nonce() + "-" + System.nanoTime();
        GuestDisks.marked(file, DiskFormat.QCOW2, marker);
        ApiConsole out = new ApiConsole();
        try (BackendConsole con = b.console(name, out)) {
            GuestDisks.Shell sh = GuestDisks.over(con, out);
            BackendDisk a = b.diskAttach(name, DiskSpec.file("ignored", file).format(DiskFormat.QCOW2)
                    .cache(CacheMode.NONE).serial("KVMJ-API").build());
            assertEquals(file.toString(), a.file(), a.toString());
            assertEquals("qcow2", a.format(), a.toString());
            assertTrue(b.disks(name).contains(a), "disk list has it: " + b.disks(name));
            GuestDisks.Seen seen = GuestDisks.find(sh, marker);
            assertEquals(8L * 1024 * 1024 / 512, seen.sectors(), seen.toString());
            assertEquals("KVMJ-API", seen.serial(), seen.toString());

            IllegalArgumentException shrink = assertThrows(IllegalArgumentException.class,
                    () -> b.diskResize(name, a.drive(), 4L << 20, false));
            assertTrue(shrink.getMessage().contains("refusing to shrink"), shrink.getMessage());
            BackendResize r = b.diskResize(name, a.drive(), 16L << 20, false);
            assertEquals(new BackendResize(a.drive(), 8L << 20, 16L << 20), r);
            assertEquals(16L * 1024 * 1024 / 512, GuestDisks.sectors(sh, seen.dev(), 32768), "the guest sees it grown");
            CliProcess.Result info = CliProcess.sh(60, "qemu-img", "info", "-U", "--output=json", file.toString());
            assertEquals(16L << 20, info.json().path("virtual-size").asLong(), info.out());

            b.diskDetach(name, a.drive(), WAIT);
            assertTrue(b.disks(name).stream().noneMatch(d -> d.drive().equals(a.drive())), "gone: " + b.disks(name));
            assertTrue(GuestDisks.gone(sh, seen.dev()), "the guest released " + seen.dev());
            GuestException again = assertThrows(GuestException.class, () -> b.diskDetach(name, a.drive(), WAIT));
            assertTrue(again.getMessage().contains(a.drive()), again.getMessage());
            return a.drive();
        }
    }
}

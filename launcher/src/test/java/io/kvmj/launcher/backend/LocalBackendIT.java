package io.kvmj.launcher.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.KernelBoot;
import io.kvmj.core.model.MachineType;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.cli.CliProcess;
import io.kvmj.launcher.migrate.MigrationTestGuest;
import io.kvmj.launcher.testutil.TestRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@link GuestBackend#local()} does what {@code LibvirtBackendIT} shows over libvirt, with the same calls
 * ({@link BackendChecks}): one TCG busybox guest for the class (a shell on kvmj's console, a tmpfs marker, an 8 MiB
 * qcow2 disk), started through the backend; events of a QMP stop and cont, an external snapshot of its disk and the
 * commit back, the console (busy for a second client), a save and a restore keeping the marker, a qcow2 disk
 * hot-plugged, grown and hot-unplugged as the guest sees it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalBackendIT {
    private static final Duration BOOT = Duration.ofSeconds(300);
    private Path dir;
    private GuestBackend local;
    private MigrationTestGuest shell;
    private String name;
    private Path disk;

    @BeforeAll
    void start() throws Exception {
        TestRuntime.use();
        dir = Files.createTempDirectory(Path.of("/tmp"), "kvmj-lob-");
        shell = new MigrationTestGuest(dir);
        disk = dir.resolve("d0.qcow2");
        assertEquals(0, CliProcess.sh(60, "qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "8M").exit());
        name = "kvmj-lob-" + ProcessHandle.current().pid();
        GuestSpec spec = GuestSpec.builder(name).machine(MachineType.PC).accelerator(Accelerator.TCG).cpus(1)
                .memoryMiB(192).noReboot(true)
                .kernel(KernelBoot.of(shell.kernel.kernel(), shell.initrd, MigrationTestGuest.APPEND))
                .disk(DiskSpec.file("d0", disk).format(DiskFormat.QCOW2).build())
                .startPaused(true).build(); // paused: the console is attached before the guest prints anything
        local = GuestBackend.local();
        BackendGuest g = local.start(spec, note -> { });
        assertTrue(g.state().equals("prelaunch") || g.state().equals("paused"), g.toString()); // QEMU -S
        ApiConsole out = new ApiConsole();
        try (BackendConsole con = local.console(name, out)) {
            local.qmp(name, "cont", null, Duration.ofSeconds(10));
            out.await(MigrationTestGuest.READY, BOOT);
        }
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (local != null) {
                try {
                    local.stop(name, Duration.ofSeconds(5), true);
                } catch (GuestException e) {
                    // not running
                }
                local.close();
            }
        } finally {
            if (dir != null) {
                try (var s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    @Order(1)
    void eventsOfAStopAndACont() throws Throwable {
        BackendChecks.eventsOfAPauseAndAResume(local, name, () -> {
            local.qmp(name, "stop", null, Duration.ofSeconds(10));
            local.qmp(name, "cont", null, Duration.ofSeconds(10));
        });
    }

    @Test
    @Order(2)
    void diskSnapshotAndCommit() throws Exception {
        Path overlay = dir.resolve("d0-api1.qcow2");
        assertEquals("d0", BackendChecks.snapshotAndCommit(local, name, disk.toString(), overlay));
        var blocks = local.qmp(name, "query-block", null, Duration.ofSeconds(10)).toString();
        assertTrue(blocks.contains(disk.toString()) && !blocks.contains(overlay.toString()), "QEMU runs on d0: " + blocks);
    }

    @Test
    @Order(3)
    void consoleSaveAndRestore() throws Exception {
        BackendChecks.consoleSaveAndRestore(local, name, shell.marker, dir.resolve("vm.save"));
    }

    @Test
    @Order(4)
    void diskBackupCopiesTheRunningDisk() throws Exception {
        Path copy = dir.resolve("d0-backup.qcow2");
        local.diskBackup(name, "d0", copy, io.kvmj.core.image.ImageFormat.QCOW2, Duration.ofMinutes(2));
        CliProcess.Result cmp = CliProcess.sh(60, "qemu-img", "compare", "-U", disk.toString(), copy.toString());
        assertEquals(0, cmp.exit(), "the backup holds the disk's content: " + cmp);
        byte[] before = Files.readAllBytes(copy);
        assertThrows(RuntimeException.class, () -> local.diskBackup(name, "d0", copy,
                io.kvmj.core.image.ImageFormat.QCOW2, Duration.ofMinutes(2)), "an existing target is refused");
        assertArrayEquals(before, Files.readAllBytes(copy), "and left untouched");
    }

    @Test
    @Order(5)
    void diskAttachResizeAndDetach() throws Exception {
        String drive = BackendChecks.attachResizeDetach(local, name, dir.resolve("hp-api.qcow2"));
        assertTrue(drive.matches("disk\\d+"), "kvmj's first free diskN: " + drive);
    }
}

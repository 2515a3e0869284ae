package io.kvmj.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.cli.CliProcess;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StorageCopy}'s QMP sequence against real QEMU without a guest ({@code -machine none}, nothing executes,
 * no TCG slot needed): the destination serves its new qcow2 over NBD, the source mirrors into it, the migration
 * pauses in {@code pre-switchover} where the mirror is soft-cancelled, the destination stops serving and runs.
 * The copy must then be byte-identical to the source ({@code qemu-img compare}); an aborted copy leaves no job and
 * no NBD node on the source.
 */
class StorageCopyQmpIT {
    @TempDir
    Path tmp;

    private static List<String> args(Path image, boolean incoming) {
        List<String> a = new java.util.ArrayList<>(List.of("-machine", "none", "-nodefaults", "-display", "none",
                "-blockdev", "driver=file,node-name=d0-file,filename=" + image,
                "-blockdev", "driver=qcow2,node-name=d0-fmt,file=d0-file"));
        if (incoming) {
            a.addAll(List.of("-incoming", "defer", "-S"));
        }
        return a;
    }

    @Test
    void mirrorThenSoftCancelAtPreSwitchoverGivesAnIdenticalCopy() throws Exception {
        Requirements.qemu();
        TestRuntime.use();
        Path src = tmp.resolve("src.qcow2");
        assertEquals(0, CliProcess.sh(60, "qemu-img", "create", "-q", "-f", "qcow2", src.toString(), "32M").exit());
        CliProcess.Result w = CliProcess.sh(60, "qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 1M 3M", "-c",
                "write -P 0xa5 20M 64k", src.toString());
        assertEquals(0, w.exit(), w.toString());
        Launcher launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(Requirements.qemu()));
        DiskSpec disk = DiskSpec.file("d0", src).format(DiskFormat.QCOW2).build();

        // 1. aborted: the mirror is throttled, the stop arrives, nothing is left behind on the source
        Path dst1 = tmp.resolve("abort.qcow2");
        List<StorageCopy.Target> t1 = List.of(new StorageCopy.Target(disk, src, dst1));
        try (Guest s = launcher.launchArgv("scq-src", args(src, false))) {
            StorageCopy.create(s.qmp(), t1);
            try (Guest d = launcher.launchArgv("scq-dst1", args(dst1, true))) {
                Path nbd = d.runtimeDir().path().resolve(StorageCopy.SOCKET);
                StorageCopy.serve(d.qmp(), nbd, t1);
                MigrationException e = assertThrows(MigrationException.class, () -> StorageCopy.mirror(s.qmp(), nbd,
                        t1, MigrationListener.NONE, () -> "stopped by the test", 1));
                assertTrue(e.sourceRunning() && e.getMessage().contains("stopped by the test"), e.getMessage());
                StorageCopy.abort(s.qmp(), t1);
                assertTrue(s.qmp().call("query-jobs").isEmpty(), "no job left");
                assertFalse(s.qmp().call("query-named-block-nodes").toString().contains("kvmj-mig-d0"));
            }
            StorageCopy.deleteTargets(t1);
            assertFalse(Files.exists(dst1));

            // 2. done: mirror, migrate with pause-before-switchover, soft cancel there, destination resumed
            Path dst = tmp.resolve("copy.qcow2");
            List<StorageCopy.Target> t = List.of(new StorageCopy.Target(disk, src, dst));
            StorageCopy.create(s.qmp(), t);
            assertEquals(32L << 20, StorageCopy.virtualSizes(s.qmp()).get("d0-fmt"));
            try (Guest d = launcher.launchArgv("scq-dst", args(dst, true))) {
                Path nbd = d.runtimeDir().path().resolve(StorageCopy.SOCKET);
                StorageCopy.serve(d.qmp(), nbd, t);
                java.util.List<MigrationProgress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
                StorageCopy.mirror(s.qmp(), nbd, t, seen::add, () -> null, 0);
                assertTrue(seen.stream().allMatch(p -> p.status().equals("mirror")), seen.toString());
                Path mig = d.runtimeDir().path().resolve(LiveMigration.SOCKET);
                LiveMigration.accept(d.qmp(), "unix:" + mig, false);
                AtomicReference<String> hookStatus = new AtomicReference<>();
                MigrationResult r = new MigrationDriver(s.qmp(), "scq-src", MigrationOptions.defaults(),
                        MigrationListener.NONE, new AtomicReference<>(), () -> null)
                        .beforeSwitchover(() -> {
                            hookStatus.set(s.qmp().call("query-migrate").path("status").asText());
                            StorageCopy.complete(s.qmp(), t);
                        }).run("unix:" + mig, "scq-dst");
                assertEquals("pre-switchover", hookStatus.get(), "mirror completed while the source was paused");
                assertEquals("completed", r.stats().path("status").asText());
                assertTrue(s.qmp().call("query-jobs").isEmpty());
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (d.qmp().call("query-status").path("status").asText().equals("inmigrate")
                        && System.nanoTime() < deadline) {
                    MigrationTestGuest.sleep(20);
                }
                StorageCopy.stopServing(d.qmp());
                d.qmp().call("cont");
                assertTrue(d.qmp().call("query-status").path("running").asBoolean());
            }
        }
        CliProcess.Result cmp = CliProcess.sh(60, "qemu-img", "compare", "-f", "qcow2", "-F", "qcow2",
                src.toString(), tmp.resolve("copy.qcow2").toString());
        assertEquals(0, cmp.exit(), "the copy is identical to the source: " + cmp);
    }
}

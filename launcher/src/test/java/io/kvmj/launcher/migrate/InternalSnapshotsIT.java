package io.kvmj.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Internal snapshots with memory on a qcow2 guest (real QEMU, TCG): revert brings the old marker back. */
class InternalSnapshotsIT {
    @TempDir
    Path tmp;

    @Test
    void createListRevertDelete() throws Exception {
        Path qemu = Requirements.qemu();
        TestRuntime.use();
        MigrationTestGuest tg = new MigrationTestGuest(tmp);
        Path disk = tmp.resolve("d.qcow2");
        Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "16M")
                .inheritIO().start();
        assertEquals(0, p.waitFor());
        Launcher launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(qemu));
        try (Guest g = launcher.launch(tg.spec("snap-a").toBuilder()
                .disk(DiskSpec.file("d0", disk).format(DiskFormat.QCOW2).build()).build())) {
            MigrationTestGuest.awaitReady(g);
            Duration t = Duration.ofMinutes(5);
            InternalSnapshots.create(g.qmp(), "s1", pct -> { }, t);
            List<InternalSnapshots.Entry> all = InternalSnapshots.list(g.qmp());
            assertEquals(1, all.size(), all.toString());
            assertEquals("s1", all.get(0).tag());
            assertTrue(all.get(0).vmStateSize() > 0, all.toString());
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
    }
}

package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.launcher.ConsoleConnection;
import io.kvmj.launcher.migrate.MigrationTestGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kvmj snapshot create|list|revert|delete} on a detached qcow2 busybox guest (real QEMU, TCG). */
class SnapshotCliIT {
    @TempDir
    Path tmp;

    @Test
    void createListRevertDelete() throws Exception {
        Path runtime = Path.of("/tmp", "kvmj-scli-" + ProcessHandle.current().pid());
        CliProcess cli = CliProcess.require(runtime);
        MigrationTestGuest tg = new MigrationTestGuest(tmp);
        Path disk = tmp.resolve("d.qcow2");
        assertEquals(0, CliProcess.sh(60, "qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "16M").exit());
        try {
            CliProcess.Result r = cli.run(120, "run", "--name", "sc-a", "--detach", "--machine", "pc", "--memory",
                    "192", "--accel", "tcg", "--kernel", tg.kernel.kernel().toString(), "--initrd",
                    tg.initrd.toString(), "--append", MigrationTestGuest.APPEND, "--disk", "path=" + disk + ",format=qcow2");
            assertEquals(0, r.exit(), r.toString());
            Path dir = runtime.resolve("sc-a");
            MigrateCliIT.awaitLog(dir, MigrationTestGuest.READY);

            CliProcess.Result created = cli.run(300, "snapshot", "create", "sc-a", "s1");
            assertEquals(0, created.exit(), created.toString());
            CliProcess.Result listed = cli.run(60, "snapshot", "list", "sc-a", "--json");
            assertEquals(0, listed.exit(), listed.toString());
            JsonNode all = listed.json();
            assertEquals(1, all.size(), listed.out());
            assertEquals("s1", all.get(0).path("tag").asText());
            assertTrue(all.get(0).path("vmStateSize").asLong() > 0, listed.out());

            try (ConsoleConnection c = ConsoleConnection.connect(dir.resolve("console.sock"), Duration.ofSeconds(10),
                    b -> { }, "change")) {
                c.send("echo changed > /run/marker\n");
            }
            MigrationTestGuest.sleep(2000);
            CliProcess.Result reverted = cli.run(300, "snapshot", "revert", "sc-a", "s1");
            assertEquals(0, reverted.exit(), reverted.toString());
            MigrateCliIT.assertAlive(dir, tg.marker);

            CliProcess.Result deleted = cli.run(300, "snapshot", "delete", "sc-a", "s1");
            assertEquals(0, deleted.exit(), deleted.toString());
            CliProcess.Result missing = cli.run(60, "snapshot", "revert", "sc-a", "s1");
            assertEquals(2, missing.exit(), missing.toString());
            assertEquals(List.of("kvmj snapshot: no snapshot named 's1'"), missing.err().strip().lines().toList());
        } finally {
            if (Files.exists(runtime.resolve("sc-a"))) {
                cli.run(60, "stop", "sc-a", "--force");
            }
            runtime.toFile().delete(); // the base directory, when empty
        }
    }
}

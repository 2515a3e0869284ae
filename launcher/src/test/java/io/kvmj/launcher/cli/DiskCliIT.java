package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmj.launcher.cli.CliProcess.Result;
import io.kvmj.launcher.testutil.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kvmj disk ...} run as processes (the fat jar) against a detached, paused (never booted) q35 guest with one
 * qcow2 disk. "Guest writes" go through the device's own block backend with HMP {@code qemu-io}; results are checked
 * from outside with {@code qemu-img info -U}, {@code qemu-img compare -U} and {@code qemu-io -U}.
 */
class DiskCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GUEST = "disk-it";
    private static final long MIB = 1L << 20;
    private static CliProcess cli;
    private static Path runtime;
    private static Path images;

    @BeforeAll
    static void setUp() throws IOException {
        cli = CliProcess.inTempRuntime("kvmj-disk-rt-");
        runtime = cli.runtime();
        CliProcess.requireImageTools();
        images = Files.createTempDirectory(Path.of("/tmp"), "kvmj-disk-img-");
    }

    @AfterAll
    static void tearDown() throws IOException {
        for (Path dir : new Path[] {runtime, images}) {
            if (dir != null && Files.isDirectory(dir)) {
                try (var s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** HMP {@code qemu-io} on disk0's block backend, i.e. I/O as the guest's virtio-blk device does it. */
    private static void guestIo(String ioCommand) throws Exception {
        String args = JSON.writeValueAsString(JSON.createObjectNode().put("command-line",
            "qemu-io -d /machine/peripheral/disk0/virtio-backend \"" + ioCommand + "\""));
        Result r = kvmj("qmp", GUEST, "human-monitor-command", args);
        assertEquals(0, r.exit(), r.toString());
        assertFalse(r.out().contains("rror"), r.toString());
    }

    private static boolean hasPattern(Path image, int pattern, long off, long len) throws Exception {
        Result r = sh("qemu-io", "-U", "-r", "-c", "read -P " + pattern + " " + off + " " + len, image.toString());
        return r.exit() == 0 && !r.out().contains("verification failed") && !r.out().contains("rror");
    }

    private static JsonNode drive0() throws Exception {
        Result list = kvmj("disk", "list", GUEST, "--json");
        assertEquals(0, list.exit(), list.toString());
        JsonNode drives = list.json();
        assertEquals(1, drives.size(), list.out());
        return drives.get(0);
    }

    @Test
    void snapshotResizeCommitBackupOnADetachedGuest() throws Exception {
        Path base = images.resolve("base.qcow2");
        Result created = sh("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "64M");
        assertEquals(0, created.exit(), created.toString());
        assertEquals(0, sh("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 0 1M", base.toString()).exit());
        long pid = -1;
        try {
            Result run = kvmj("run", "--name", GUEST, "--paused", "--memory", "64", "--accel", "tcg", "--detach",
                "--json", "--disk", "path=" + base + ",format=qcow2");
            assertEquals(0, run.exit(), run.toString());
            pid = run.json().path("pid").asLong();
            assertTrue(pid > 0, run.out());

            // list: the drive as --disk named it, with its nodes, file and cache flags
            JsonNode d = drive0();
            assertEquals("disk0", d.path("drive").asText());
            assertEquals("disk0-fmt", d.path("node").asText());
            assertEquals(base.toString(), d.path("file").asText());
            assertEquals(64 * MIB, d.path("virtualSize").asLong());
            assertEquals(1, d.path("chain").size());
            assertEquals("disk0-file", d.at("/chain/0/protocolNode").asText());
            assertEquals("writeback", d.at("/cache/mode").asText(), d.toString());
            Result text = kvmj("disk", "list", GUEST);
            assertEquals(0, text.exit(), text.toString());
            assertTrue(text.out().contains("disk0") && text.out().contains("disk0-fmt")
                && text.out().contains(base.toString()), text.out());

            // snapshot: a timestamped overlay next to the base becomes the active layer
            Result snap = kvmj("disk", "snapshot", GUEST, "disk0", "--json");
            assertEquals(0, snap.exit(), snap.toString());
            Path overlay = Path.of(snap.json().path("overlay").asText());
            assertEquals(images, overlay.getParent());
            assertTrue(overlay.getFileName().toString().matches("base-\\d{8}T\\d{6}Z\\.qcow2"), overlay.toString());
            Result chain = sh("qemu-img", "info", "-U", "--backing-chain", "--output=json", overlay.toString());
            assertEquals(0, chain.exit(), chain.toString());
            JsonNode layers = chain.json();
            assertEquals(2, layers.size(), chain.out());
            assertEquals(base.toString(), layers.get(0).path("backing-filename").asText());
            assertEquals("qcow2", layers.get(0).path("backing-filename-format").asText());
            assertEquals(base.toString(), layers.get(1).path("filename").asText());
            d = drive0();
            assertEquals(overlay.toString(), d.path("file").asText(), "the overlay is the active layer");
            assertEquals("disk0-snap1", d.path("node").asText());
            assertEquals(2, d.path("chain").size());
            assertEquals("disk0-fmt", d.at("/chain/1/node").asText());
            assertEquals(base.toString(), d.at("/chain/1/file").asText());
            assertTrue(d.at("/chain/1/readOnly").asBoolean(), "the frozen base is read-only");

            guestIo("write -P 0x77 1M 1M");
            guestIo("flush");
            assertTrue(hasPattern(overlay, 0x77, MIB, MIB), "new writes land in the overlay");
            assertFalse(hasPattern(base, 0x77, MIB, MIB), "the base is frozen");

            // resize: grow only, unless --shrink
            Result grow = kvmj("disk", "resize", GUEST, "disk0", "+64M", "--json");
            assertEquals(0, grow.exit(), grow.toString());
            assertEquals(128 * MIB, grow.json().path("newSize").asLong());
            assertEquals(128 * MIB, drive0().path("virtualSize").asLong());
            Result block = kvmj("qmp", GUEST, "query-block");
            assertEquals(0, block.exit(), block.toString());
            assertEquals(128 * MIB, block.json().get(0).at("/inserted/image/virtual-size").asLong());
            Result shrink = kvmj("disk", "resize", GUEST, "disk0", "64M");
            assertEquals(2, shrink.exit(), shrink.toString());
            assertTrue(shrink.err().contains("--shrink"), shrink.toString());
            assertEquals(128 * MIB, drive0().path("virtualSize").asLong(), "refused shrink changed nothing");
            Result odd = kvmj("disk", "resize", GUEST, "disk0", "+1");
            assertEquals(1, odd.exit(), odd.toString());
            assertTrue(odd.err().contains("multiple of 512"), "QEMU's message: " + odd);

            // a second snapshot (explicit file and node name); commit merges one layer only, by default
            Path top = images.resolve("top.qcow2");
            Result snap2 = kvmj("disk", "snapshot", GUEST, "disk0", "--file", top.toString(), "--node", "top2");
            assertEquals(0, snap2.exit(), snap2.toString());
            assertTrue(snap2.out().contains("new active layer " + top + " (node top2)"), snap2.toString());
            assertEquals(3, drive0().path("chain").size());
            guestIo("write -P 0x66 2M 1M");
            Result commitTop = kvmj("disk", "commit", GUEST, "top2");
            assertEquals(0, commitTop.exit(), commitTop.toString());
            assertTrue(commitTop.out().contains("no longer used by the guest (delete when not needed): " + top),
                commitTop.toString());
            d = drive0();
            assertEquals(2, d.path("chain").size(), "only the top layer was committed: " + d);
            assertEquals("disk0-snap1", d.path("node").asText());
            assertEquals(overlay.toString(), d.path("file").asText());
            guestIo("flush");
            assertTrue(hasPattern(overlay, 0x66, 2 * MIB, MIB), "top's data is in the first overlay");
            assertFalse(hasPattern(base, 0x66, 2 * MIB, MIB), "and not in the base");

            // commit: the overlay's data goes into the base and the guest runs on the base again
            Result commit = kvmj("disk", "commit", GUEST, "disk0", "--base", base.toString(), "--json");
            assertEquals(0, commit.exit(), commit.toString());
            assertTrue(commit.err().contains("commit disk0: 100%"), "plain progress lines off a terminal: " + commit);
            assertEquals(overlay.toString(), commit.json().at("/unusedFiles/0").asText());
            d = drive0();
            assertEquals(base.toString(), d.path("file").asText());
            assertEquals("disk0-fmt", d.path("node").asText());
            assertEquals(1, d.path("chain").size(), "the chain is back to the base");
            assertEquals(128 * MIB, d.path("virtualSize").asLong(), "the commit grew the base to the drive's size");
            guestIo("flush");
            Result baseInfo = sh("qemu-img", "info", "-U", "--output=json", base.toString());
            assertFalse(baseInfo.json().has("backing-filename"), baseInfo.out());
            assertTrue(hasPattern(base, 0x77, MIB, MIB), "overlay data committed into the base");
            assertTrue(hasPattern(base, 0x66, 2 * MIB, MIB), "the second snapshot's data reached the base too");
            assertTrue(hasPattern(base, 0x5a, 0, MIB), "older base data kept");
            Result again = kvmj("disk", "commit", GUEST, "disk0");
            assertEquals(1, again.exit(), again.toString());
            assertTrue(again.err().contains("no backing image"), again.toString());

            // backup: a full copy, equal to the base while the guest is paused
            Path backup = images.resolve("backup.qcow2");
            Result bk = kvmj("disk", "backup", GUEST, "disk0", backup.toString(), "--json");
            assertEquals(0, bk.exit(), bk.toString());
            assertTrue(bk.err().contains("backup disk0: 100%"), bk.toString());
            assertEquals("qcow2", sh("qemu-img", "info", "-U", "--output=json", backup.toString()).json()
                .path("format").asText());
            Result cmp = sh("qemu-img", "compare", "-U", base.toString(), backup.toString());
            assertEquals(0, cmp.exit(), cmp.toString());
            assertTrue(hasPattern(backup, 0x77, MIB, MIB));
            Path raw = images.resolve("backup.raw");
            Result bkRaw = kvmj("disk", "backup", GUEST, "disk0-fmt", raw.toString(), "--format", "raw");
            assertEquals(0, bkRaw.exit(), bkRaw.toString());
            assertTrue(bkRaw.out().contains("backed up"), bkRaw.toString());
            assertEquals(0, sh("qemu-img", "compare", "-U", base.toString(), raw.toString()).exit());
            Path nowhere = images.resolve("no-such-dir").resolve("b.qcow2");
            Result noDir = kvmj("disk", "backup", GUEST, "disk0", nowhere.toString());
            assertEquals(1, noDir.exit(), noDir.toString());
            assertTrue(noDir.err().contains("Could not create"), "qemu-img's message: " + noDir);
            assertTrue(kvmj("qmp", GUEST, "query-jobs").json().isEmpty(), "no job left behind");
            Result exists = kvmj("disk", "backup", GUEST, "disk0", backup.toString());
            assertEquals(2, exists.exit(), exists.toString());
            assertTrue(exists.err().contains("already exists"), exists.toString());

            // unknown drive and guest: exit 1 like kvmj qmp/stop, naming what exists
            Result unknown = kvmj("disk", "snapshot", GUEST, "vda");
            assertEquals(1, unknown.exit(), unknown.toString());
            assertTrue(unknown.err().contains("no drive 'vda'") && unknown.err().contains("disk0 (node disk0-fmt, "
                + base + ")"), unknown.toString());
            Result noGuest = kvmj("disk", "list", "no-such-guest");
            assertEquals(1, noGuest.exit(), noGuest.toString());
            assertTrue(noGuest.err().contains("no running guest named 'no-such-guest'"), noGuest.toString());
            assertEquals(1, drive0().path("chain").size(), "failed commands changed nothing");

            Result stop = kvmj("stop", GUEST, "--timeout", "2");
            assertEquals(0, stop.exit(), stop.toString());
            assertFalse(Requirements.alive(pid), "stop must end QEMU");
        } finally {
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static Result kvmj(String... args) throws Exception {
        return cli.run(120, args);
    }

    private static Result sh(String... argv) throws Exception {
        return CliProcess.sh(120, argv);
    }
}

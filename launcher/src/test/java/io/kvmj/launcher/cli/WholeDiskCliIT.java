package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.launcher.process.Executables;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Whole host disks through the real CLI, on real loop devices (no guest boots): the NAS recipe in the
 * {@code --dry-run} argv (through a by-id style symlink), the host disk facts of {@code kvmj img info}, and the
 * refusal, exit 2 with one line naming the disk and its user, of a disk that is mounted, active swap or attached
 * to another running kvmj guest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WholeDiskCliIT {
    private static final long SIZE = 48L << 20;

    private Path dir;

    private CliProcess cli;
    private final List<String> loops = new ArrayList<>();

    @BeforeAll
    void loops() throws Exception {
        for (String tool : List.of("losetup", "mkfs.ext4", "mkswap", "swapon", "mount")) {
            if (Executables.find(tool).isEmpty()) {
                Requirements.missing(tool + " not installed");
            }
        }
        cli = CliProcess.require(TestRuntime.use());
        dir = Files.createTempDirectory("kvmj-wholedisk-");
        for (int i = 0; i < 2; i++) {
            Path file = dir.resolve("d" + i + ".img");
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(SIZE);
            }
            CliProcess.Result r = CliProcess.sh(60, "losetup", "-f", "--show", file.toString());
            if (r.exit() != 0) {
                Requirements.missing("losetup cannot attach a loop device here: " + r);
            }
            loops.add(r.out().trim());
        }
    }

    @AfterAll
    void detach() throws Exception {
        for (String loop : loops) {
            CliProcess.sh(60, "swapoff", loop);
            CliProcess.sh(60, "umount", loop);
            CliProcess.sh(60, "losetup", "-d", loop);
        }
        if (dir != null) {
            CliProcess.sh(60, "rm", "-rf", dir.toString());
        }
    }

    @Test
    void aWholeDiskGetsTheNasRecipeThroughItsStableName() throws Exception {
        Path byId = Files.createDirectories(dir.resolve("by-id"));
        Path link = Files.createSymbolicLink(byId.resolve("wwn-0x5000c500deadbe01"), Path.of(loops.get(0)));
        CliProcess.Result r = cli.run(120, "run", "--name", "nas-dry", "--accel", "tcg", "--dry-run", "--json",
                "--disk", "path=" + link + ",serial=NAS-DISK-1,wwn=0x5000C500DEADBE01");
        assertEquals(0, r.exit(), r.toString());
        String argv = r.json().path("argv").toString();
        assertTrue(argv.contains("driver=host_device,node-name=disk0-file,filename=" + link
                + ",aio=native,cache.direct=on,cache.no-flush=off,discard=unmap"), "host_device, cache=none, aio=native,"
                + " discard, on the by-id path (not the node it points to): " + argv);
        String lbs = Files.readString(Path.of("/sys/class/block", Path.of(loops.get(0)).getFileName().toString(),
                "queue/logical_block_size")).trim();
        assertTrue(argv.contains("scsi-hd,id=disk0,bus=scsi0.0,drive=disk0-fmt,write-cache=on,serial=NAS-DISK-1,"
                + "wwn=" + Long.parseLong("5000c500deadbe01", 16)), argv);
        assertTrue(argv.contains(",logical_block_size=" + lbs + ","), "the host's block size: " + argv);

        // virt-install spellings override the recipe; virtio-blk drops what it cannot carry
        CliProcess.Result blk = cli.run(120, "run", "--name", "nas-dry", "--accel", "tcg", "--dry-run", "--json",
                "--disk", loops.get(0) + ",target.bus=virtio,driver.cache=writethrough,driver.discard=ignore");
        assertEquals(0, blk.exit(), blk.toString());
        String a = blk.json().path("argv").toString();
        assertTrue(a.contains("filename=" + loops.get(0) + ",aio=threads,cache.direct=off,cache.no-flush=off\""), a);
        assertTrue(a.contains("virtio-blk-pci,id=disk0"), a);

        CliProcess.Result bad = cli.run(120, "run", "--name", "nas-dry", "--dry-run", "--disk",
                loops.get(0) + ",bus=virtio,wwn=0x5000c500deadbe01");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("virtio-blk has no WWN"), bad.err());
    }

    @Test
    void imgInfoReportsTheHostDiskFacts() throws Exception {
        CliProcess.Result r = cli.run(120, "img", "info", loops.get(1), "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode d = r.json().path("hostDisk");
        assertEquals(SIZE, d.path("sizeBytes").asLong(), r.out());
        assertEquals("LOOP", d.path("kind").asText());
        String sys = "/sys/class/block/" + Path.of(loops.get(1)).getFileName() + "/queue/";
        assertEquals(Files.readString(Path.of(sys + "logical_block_size")).trim(), d.path("logicalBlockSize").asText());
        assertEquals(Files.readString(Path.of(sys + "physical_block_size")).trim(), d.path("physicalBlockSize").asText());
        assertEquals(Files.readString(Path.of(sys + "rotational")).trim().equals("1"), d.path("rotational").asBoolean());
        assertTrue(d.path("serial").isNull() || d.path("serial").isMissingNode(), "a loop device has no serial");
        assertFalse(d.path("inUse").asBoolean(), r.out());
        CliProcess.Result text = cli.run(120, "img", "info", loops.get(1));
        assertTrue(text.out().contains("in use:         no"), text.out());
        assertTrue(text.out().contains("(" + SIZE + " bytes, BLKGETSIZE64)"), text.out());
    }

    @Test
    void aDiskInUseOnTheHostIsRefusedNamingTheUser() throws Exception {
        String loop = loops.get(1);
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        assertEquals(0, CliProcess.sh(120, "mkfs.ext4", "-q", "-F", loop).exit());
        assertEquals(0, CliProcess.sh(60, "mount", loop, mnt.toString()).exit());
        try {
            CliProcess.Result r = cli.run(120, "run", "--name", "nas-dry", "--dry-run", "--disk", loop);
            assertEquals(2, r.exit(), r.toString());
            assertEquals(1, r.err().lines().count(), "one line: " + r.err());
            assertTrue(r.err().contains(loop + " is in use on the host: it is mounted on " + mnt), r.err());
            JsonNode info = cli.run(120, "img", "info", "-U", loop, "--json").json().path("hostDisk");
            assertTrue(info.path("inUse").asBoolean(), info.toString());
        } finally {
            CliProcess.sh(60, "umount", mnt.toString());
        }
        assertEquals(0, CliProcess.sh(60, "mkswap", loop).exit());
        CliProcess.Result on = CliProcess.sh(60, "swapon", loop);
        if (on.exit() == 0) {
            try {
                CliProcess.Result r = cli.run(120, "run", "--name", "nas-dry", "--dry-run", "--disk", loop);
                assertEquals(2, r.exit(), r.toString());
                assertTrue(r.err().contains("it is active swap"), r.err());
            } finally {
                CliProcess.sh(60, "swapoff", loop);
            }
        }
    }

    @Test
    void aDiskAttachedToAnotherRunningGuestIsRefused() throws Exception {
        String loop = loops.get(0);
        // a paused QEMU (-S, no kernel): it holds the disk and never runs guest code
        CliProcess.Result other = cli.run(120, "run", "--name", "nas-holder", "--accel", "tcg", "--memory", "64M",
                "--paused", "--detach", "--disk", loop + ",serial=HOLD");
        assertEquals(0, other.exit(), other.toString());
        try {
            CliProcess.Result r = cli.run(120, "run", "--name", "nas-second", "--dry-run", "--disk", loop);
            assertEquals(2, r.exit(), r.toString());
            assertTrue(r.err().contains("attached to the running kvmj guest 'nas-holder'"), r.err());
        } finally {
            assertEquals(0, cli.run(120, "stop", "nas-holder", "--force").exit());
        }
    }
}

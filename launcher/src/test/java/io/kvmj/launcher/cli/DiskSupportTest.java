package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Default overlay file and node names of {@code kvmj disk snapshot}. */
class DiskSupportTest {
    private static final Instant NOW = Instant.parse("2026-11-22T04:05:06Z");

    @TempDir
    Path dir;

    @Test
    void overlayNextToTheImageWithUtcStamp() throws Exception {
        Path base = Files.createFile(dir.resolve("web.qcow2"));
        Path ov = DiskSupport.defaultOverlay(base.toString(), NOW);
        assertEquals(dir.resolve("web-20261122T040506Z.qcow2"), ov);

        Files.createFile(ov);
        assertEquals(dir.resolve("web-20261122T040506Z-2.qcow2"), DiskSupport.defaultOverlay(base.toString(), NOW),
            "taken names are numbered");
        Path later = DiskSupport.defaultOverlay(ov.toString(), NOW.plusSeconds(60));
        assertEquals(dir.resolve("web-20261122T040606Z.qcow2"), later, "a snapshot of a snapshot: stamp replaced");

        Path raw = Files.createFile(dir.resolve("data.img"));
        assertEquals(dir.resolve("data-20261122T040506Z.qcow2"), DiskSupport.defaultOverlay(raw.toString(), NOW));
    }

    @Test
    void overlayNeedsARegularFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> DiskSupport.defaultOverlay("/dev/null", NOW));
        assertTrue(e.getMessage().contains("--file"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DiskSupport.defaultOverlay("json:{\"driver\":\"nbd\"}", NOW));
    }

    @Test
    void nodeNames() {
        assertEquals("disk0-snap1", DiskSupport.newNodeName("disk0", Set.of("disk0-fmt", "disk0-file")));
        assertEquals("disk0-snap3", DiskSupport.newNodeName("disk0", Set.of("disk0-snap1", "disk0-snap2")));
        assertEquals("snap1", DiskSupport.newNodeName("/machine/unattached/device[3]", Set.of()));
        assertEquals("snap2", DiskSupport.newNodeName("a-drive-id-that-is-far-too-long-x", Set.of("snap1")));
        assertEquals("my.node_1", DiskSupport.checkNodeName("my.node_1"));
        assertThrows(IllegalArgumentException.class, () -> DiskSupport.checkNodeName("1abc"));
        assertThrows(IllegalArgumentException.class, () -> DiskSupport.checkNodeName("a".repeat(32)));
    }
}

package io.kvmj.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Overlays refuse a base that a running QEMU holds read-write, and accept one it holds read-only. */
class OverlayLockIT {
    private final QemuImg img = new QemuImg();
    private final Overlays overlays = new Overlays(img);

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        ImageTestSupport.requireTool("qemu-img");
        ImageTestSupport.requireTool("qemu-system-x86_64");
    }

    @Test
    void baseAttachedReadWriteIsRefused() throws Exception {
        Path base = dir.resolve("base,1.qcow2");
        img.create(base, CreateOptions.builder(ImageFormat.QCOW2).size(ByteSize.parse("16M")).build());
        Path ov = dir.resolve("ov.qcow2");
        try (QemuHolder q = QemuHolder.hold(base, "qcow2", false, dir)) {
            assertTrue(q.alive());
            ImageInUseException e = assertThrows(ImageInUseException.class,
                () -> overlays.create(base, ov, Overlays.Options.defaults()));
            assertEquals(base, e.image());
            assertTrue(e.stderr().contains("lock"), e.stderr());
            assertFalse(Files.exists(ov), "no overlay may be left behind");
            assertThrows(ImageInUseException.class, () -> overlays.assertNotInUse(base));
            // -U still reads it
            assertEquals(16L << 20, img.info(base, true).virtualSize());
        }
        // once the guest is gone the same call succeeds
        assertTrue(overlays.create(base, ov, Overlays.Options.defaults()).hasBacking());
    }

    @Test
    void baseAttachedReadOnlyIsShareable() throws Exception {
        Path base = dir.resolve("ro.qcow2");
        img.create(base, CreateOptions.builder(ImageFormat.QCOW2).size(ByteSize.parse("16M")).build());
        try (QemuHolder q = QemuHolder.hold(base, "qcow2", true, dir)) {
            assertTrue(q.alive());
            ImageInfo ov = overlays.create(base, dir.resolve("ov.qcow2"), Overlays.Options.defaults());
            assertEquals("ro.qcow2", ov.backingFilename());
            assertEquals("qcow2", ov.backingFormat());
        }
    }
}

package io.kvmj.core.image;

import static io.kvmj.core.image.ImageTestSupport.exec;
import static io.kvmj.core.image.ImageTestSupport.qemuIoHasPattern;
import static io.kvmj.core.image.ImageTestSupport.qemuIoWrite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copy-on-write overlays with relative/absolute backing names and hostile file names. */
class OverlaysTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final QemuImg img = new QemuImg();
    private final Overlays overlays = new Overlays(img);

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        ImageTestSupport.requireTool("qemu-img");
        ImageTestSupport.requireTool("qemu-io");
    }

    @Test
    void overlayRecordsBackingFileAndFormatRelativeToItsOwnDirectory() throws Exception {
        Path base = dir.resolve("images/base.raw");
        Files.createDirectories(base.getParent());
        img.create(base, CreateOptions.builder(ImageFormat.RAW).size(ByteSize.parse("32M")).build());
        qemuIoWrite(base, "raw", 0x41, "0", "1M");
        Path ov = dir.resolve("guests/g1/disk.qcow2");
        Files.createDirectories(ov.getParent());

        ImageInfo info = overlays.create(base, ov, Overlays.Options.defaults());
        JsonNode j = JSON.readTree(exec("qemu-img", "info", "--output=json", ov.toString()));
        assertEquals("../../images/base.raw", j.get("backing-filename").asText());
        assertEquals("raw", j.get("backing-filename-format").asText());
        assertEquals(32L << 20, j.get("virtual-size").asLong());
        assertEquals(j.get("backing-filename").asText(), info.backingFilename());
        assertEquals(base.toAbsolutePath(), info.resolvedBacking(ov).orElseThrow());

        // the overlay reads through to the base, and its writes do not reach the base
        assertTrue(qemuIoHasPattern(ov, "qcow2", 0x41, "0", "1M"));
        qemuIoWrite(ov, "qcow2", 0x42, "0", "512k");
        assertTrue(qemuIoHasPattern(base, "raw", 0x41, "0", "1M"));

        // moving guests/ and images/ together keeps the chain intact
        Path moved = Files.move(dir.resolve("guests"), dir.resolve("guests2"));
        Files.createDirectories(dir.resolve("elsewhere"));
        Files.move(dir.resolve("images"), dir.resolve("elsewhere/images"));
        Files.move(moved, dir.resolve("elsewhere/guests"));
        assertTrue(qemuIoHasPattern(dir.resolve("elsewhere/guests/g1/disk.qcow2"), "qcow2", 0x42, "0", "512k"));
    }

    @Test
    void relativeBackingThroughASymlinkedDirectoryAndAMissingDirectory() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real/vms"));
        Path base = dir.resolve("real/base.qcow2");
        img.create(base, CreateOptions.builder(ImageFormat.QCOW2).size(ByteSize.parse("16M")).build());
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        Path ov = link.resolve("ov.qcow2"); // really real/vms/ov.qcow2, next to ../base.qcow2
        overlays.create(base, ov, Overlays.Options.defaults());
        JsonNode j = JSON.readTree(exec("qemu-img", "info", "--output=json", ov.toString()));
        assertEquals("../base.qcow2", j.get("backing-filename").asText());
        // qemu-img opens the whole chain through the symlinked path
        exec("qemu-img", "info", "--backing-chain", ov.toString());
        assertEquals(base.toRealPath(), img.info(ov).resolvedBacking(ov).orElseThrow());

        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> overlays.create(base, dir.resolve("no/such/dir/ov.qcow2"), Overlays.Options.defaults()));
        assertTrue(e.getMessage().contains("of the overlay does not exist"), e.getMessage());
    }

    @Test
    void absoluteBackingAndLargerSize() throws Exception {
        Path base = dir.resolve("b.qcow2");
        img.create(base, CreateOptions.builder(ImageFormat.QCOW2).size(ByteSize.parse("16M")).build());
        Path ov = dir.resolve("o.qcow2");
        overlays.create(base, ov, new Overlays.Options(false, ByteSize.parse("32M")));
        JsonNode j = JSON.readTree(exec("qemu-img", "info", "--output=json", ov.toString()));
        assertEquals(base.toAbsolutePath().toString(), j.get("backing-filename").asText());
        assertEquals("qcow2", j.get("backing-filename-format").asText());
        assertEquals(32L << 20, j.get("virtual-size").asLong());

        assertThrows(IllegalArgumentException.class,
            () -> overlays.create(base, dir.resolve("small.qcow2"), new Overlays.Options(true, ByteSize.parse("1M"))));
        IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
            () -> overlays.create(base, ov, Overlays.Options.defaults()));
        assertTrue(exists.getMessage().contains("already exists"));
        assertThrows(IllegalArgumentException.class,
            () -> overlays.create(dir.resolve("nope.qcow2"), dir.resolve("x.qcow2"), Overlays.Options.defaults()));
    }

    @Test
    void hostileFileNamesWithCommasColonsAndSpaces() throws Exception {
        Path d = Files.createDirectories(dir.resolve("di,r:1 x"));
        Path base = d.resolve("we,ird:na me,,.qcow2");
        img.create(base, CreateOptions.builder(ImageFormat.QCOW2).size(ByteSize.parse("8M")).build());
        qemuIoWrite(base, "qcow2", 0x5c, "0", "64k");
        for (boolean relative : List.of(true, false)) {
            Path ov = d.resolve("o,v:" + relative + ".qcow2");
            overlays.create(base, ov, new Overlays.Options(relative, null));
            List<ImageInfo> chain = img.backingChain(ov, false);
            assertEquals(2, chain.size());
            assertEquals(base.toAbsolutePath(), Path.of(chain.get(1).filename()).normalize());
            assertEquals(base.toAbsolutePath(), chain.get(0).resolvedBacking(ov).orElseThrow());
            assertTrue(qemuIoHasPattern(ov, "qcow2", 0x5c, "0", "64k"));
            if (relative) {
                // "we,ird:na me" would read as protocol "we,ird" - the stored name must defuse that
                assertEquals("./we,ird:na me,,.qcow2", chain.get(0).backingFilename());
            }
            Path out = d.resolve("c,o:nv.raw");
            img.convert(ov, out, ConvertOptions.to(ImageFormat.RAW), null);
            ImageTestSupport.assertSameContent(ov, out);
            Files.delete(out);
        }
    }
}

package io.kvmj.core.image;

import static io.kvmj.core.image.ImageTestSupport.allocatedBytes;
import static io.kvmj.core.image.ImageTestSupport.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** create / info / measure / resize against the real qemu-img; assertions use qemu-img's own JSON or stat(1). */
class QemuImgTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final QemuImg img = new QemuImg();

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        ImageTestSupport.requireTool("qemu-img");
    }

    private static JsonNode rawInfo(Path p) throws Exception {
        return JSON.readTree(exec("qemu-img", "info", "--output=json", "-U", p.toString()));
    }

    @Test
    void versionIsReported() {
        assertTrue(img.version().startsWith("qemu-img version"), img.version());
    }

    @Test
    void createRawWithEachPreallocationMode() throws Exception {
        ByteSize size = ByteSize.parse("32M");
        for (Preallocation p : List.of(Preallocation.OFF, Preallocation.FALLOC, Preallocation.FULL)) {
            Path f = dir.resolve("raw-" + p.qemuName() + ".img");
            img.create(f, CreateOptions.builder(ImageFormat.RAW).size(size).preallocation(p).build());
            assertEquals(size.bytes(), Files.size(f), p + ": file length");
            assertEquals(size.bytes(), rawInfo(f).get("virtual-size").asLong());
            assertEquals("raw", rawInfo(f).get("format").asText());
            long allocated = allocatedBytes(f);
            if (p == Preallocation.OFF) {
                assertTrue(allocated < size.bytes() / 4, p + ": sparse, but " + allocated + " bytes allocated");
            } else {
                assertTrue(allocated >= size.bytes(), p + ": only " + allocated + " bytes allocated");
            }
        }
    }

    @Test
    void fullPreallocationReportsProgressToTheEnd() {
        Path f = dir.resolve("full.img");
        List<Double> seen = new ArrayList<>();
        img.create(f, CreateOptions.builder(ImageFormat.RAW).size(ByteSize.parse("64M"))
            .preallocation(Preallocation.FULL).build(), seen::add);
        assertFalse(seen.isEmpty());
        assertEquals(100.0, seen.get(seen.size() - 1));
        assertTrue(allocatedBytes(f) >= ByteSize.parse("64M").bytes());
    }

    @Test
    void createQcow2WithClusterSizeLazyRefcountsAndCompat() throws Exception {
        Path v3 = dir.resolve("v3.qcow2");
        img.create(v3, CreateOptions.builder(ImageFormat.QCOW2).size(ByteSize.parse("1G"))
            .clusterSize(ByteSize.parse("128K")).lazyRefcounts(true).preallocation(Preallocation.METADATA).build());
        JsonNode j = rawInfo(v3);
        assertEquals(131072, j.get("cluster-size").asLong());
        assertEquals(1L << 30, j.get("virtual-size").asLong());
        assertTrue(j.at("/format-specific/data/lazy-refcounts").asBoolean());
        assertEquals("1.1", j.at("/format-specific/data/compat").asText());

        ImageInfo info = img.info(v3);
        assertEquals(j.get("cluster-size").asLong(), info.clusterSize());
        assertEquals(j.get("actual-size").asLong(), info.actualSize());
        assertEquals(Boolean.TRUE, info.qcow2().orElseThrow().lazyRefcounts());
        assertFalse(info.hasBacking());

        Path v2 = dir.resolve("v2.qcow2");
        img.create(v2, CreateOptions.builder(ImageFormat.QCOW2).size(ByteSize.parse("16M")).compat("0.10").build());
        assertEquals("0.10", rawInfo(v2).at("/format-specific/data/compat").asText());
        assertEquals("0.10", img.info(v2).qcow2().orElseThrow().compat());
    }

    @Test
    void invalidOptionCombinationsAreRefusedBeforeQemuImgRuns() {
        assertThrows(IllegalArgumentException.class,
            () -> CreateOptions.builder(ImageFormat.RAW).size(ByteSize.parse("1M")).clusterSize(ByteSize.parse("64K")).build());
        assertThrows(IllegalArgumentException.class,
            () -> CreateOptions.builder(ImageFormat.RAW).size(ByteSize.parse("1M")).preallocation(Preallocation.METADATA).build());
        assertThrows(IllegalArgumentException.class,
            () -> CreateOptions.builder(ImageFormat.QCOW2).size(ByteSize.parse("1M")).backing("b.qcow2", null).build());
        assertThrows(IllegalArgumentException.class, () -> CreateOptions.builder(ImageFormat.QCOW2).build());
    }

    @Test
    void failuresCarryArgvAndStderr() {
        Path missing = dir.resolve("missing.qcow2");
        QemuImgException e = assertThrows(QemuImgException.class, () -> img.info(missing));
        assertEquals(1, e.exitCode());
        assertTrue(e.stderr().contains("Could not open"), e.stderr());
        assertTrue(e.argv().contains(missing.toAbsolutePath().toString()), e.argv().toString());
        assertTrue(e.getMessage().contains("Could not open"));

        QemuImgException bad = assertThrows(QemuImgException.class, () -> new QemuImg("/nonexistent/qemu-img").version());
        assertEquals(-1, bad.exitCode());
    }

    @Test
    void backingChainListsEveryLayer() throws Exception {
        Path base = dir.resolve("base.qcow2");
        img.create(base, CreateOptions.builder(ImageFormat.QCOW2).size(ByteSize.parse("64M")).build());
        Path mid = dir.resolve("mid.qcow2");
        img.create(mid, CreateOptions.builder(ImageFormat.QCOW2).backing("base.qcow2", ImageFormat.QCOW2).build());
        Path top = dir.resolve("top.qcow2");
        img.create(top, CreateOptions.builder(ImageFormat.QCOW2).backing("mid.qcow2", ImageFormat.QCOW2).build());

        List<ImageInfo> chain = img.backingChain(top, false);
        JsonNode raw = JSON.readTree(exec("qemu-img", "info", "--output=json", "--backing-chain", top.toString()));
        assertEquals(raw.size(), chain.size());
        assertEquals(3, chain.size());
        for (int i = 0; i < chain.size(); i++) {
            assertEquals(raw.get(i).get("filename").asText(), chain.get(i).filename());
            assertEquals(raw.get(i).path("backing-filename").asText(null), chain.get(i).backingFilename());
            assertEquals(raw.get(i).path("backing-filename-format").asText(null), chain.get(i).backingFormat());
        }
        assertEquals(mid.toAbsolutePath().normalize(), chain.get(0).resolvedBacking(top).orElseThrow());
        assertEquals(64L << 20, chain.get(0).virtualSize());
        assertNull(chain.get(2).backingFilename());
    }

    @Test
    void measureMatchesWhatConvertProduces() throws Exception {
        Path src = dir.resolve("m.raw");
        img.create(src, CreateOptions.builder(ImageFormat.RAW).size(ByteSize.parse("64M")).build());
        ImageTestSupport.qemuIoWrite(src, "raw", 0x5a, "0", "8M");
        MeasureResult m = img.measure(src, ImageFormat.QCOW2);
        JsonNode raw = JSON.readTree(exec("qemu-img", "measure", "--output=json", "-O", "qcow2", src.toString()));
        assertEquals(raw.get("required").asLong(), m.required());
        assertEquals(raw.get("fully-allocated").asLong(), m.fullyAllocated());
        Path out = dir.resolve("m.qcow2");
        img.convert(src, out, ConvertOptions.to(ImageFormat.QCOW2), null);
        assertTrue(Files.size(out) <= m.required(), Files.size(out) + " > " + m.required());
        assertTrue(m.fullyAllocated() > 64L << 20);

        MeasureResult empty = img.measure(ByteSize.parse("10G"), ImageFormat.QCOW2);
        assertTrue(empty.required() < empty.fullyAllocated());
        assertTrue(empty.fullyAllocated() > 10L << 30);
    }

    @Test
    void resizeGrowsButShrinksOnlyWithTheFlag() throws Exception {
        for (ImageFormat fmt : List.of(ImageFormat.RAW, ImageFormat.QCOW2)) {
            Path f = dir.resolve("r." + fmt.qemuName());
            img.create(f, CreateOptions.builder(fmt).size(ByteSize.parse("64M")).build());
            img.resize(f, ByteSize.parse("128M"), false);
            assertEquals(128L << 20, rawInfo(f).get("virtual-size").asLong());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> img.resize(f, ByteSize.parse("32M"), false));
            assertTrue(e.getMessage().contains("shrink"), e.getMessage());
            assertEquals(128L << 20, rawInfo(f).get("virtual-size").asLong());
            img.resize(f, ByteSize.parse("32M"), true);
            assertEquals(32L << 20, rawInfo(f).get("virtual-size").asLong());
        }
    }
}

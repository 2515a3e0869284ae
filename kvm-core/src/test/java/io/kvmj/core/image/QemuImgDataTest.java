package io.kvmj.core.image;

import static io.kvmj.core.image.ImageTestSupport.allocatedBytes;
import static io.kvmj.core.image.ImageTestSupport.assertSameContent;
import static io.kvmj.core.image.ImageTestSupport.exec;
import static io.kvmj.core.image.ImageTestSupport.qemuIoHasPattern;
import static io.kvmj.core.image.ImageTestSupport.qemuIoWrite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check / convert / snapshot / rebase / commit against the real qemu-img, observed through qemu-io and stat. */
class QemuImgDataTest {
    private final QemuImg img = new QemuImg();

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        ImageTestSupport.requireTool("qemu-img");
        ImageTestSupport.requireTool("qemu-io");
    }

    private Path qcow2(String name, String size) {
        Path p = dir.resolve(name);
        img.create(p, CreateOptions.builder(ImageFormat.QCOW2).size(ByteSize.parse(size)).build());
        return p;
    }

    @Test
    void checkCleanImage() {
        Path p = qcow2("clean.qcow2", "64M");
        qemuIoWrite(p, "qcow2", 0x11, "0", "1M");
        CheckResult r = img.check(p, CheckRepair.NONE);
        assertTrue(r.clean());
        assertEquals(0, r.exitCode());
        assertEquals(16, r.allocatedClusters(), "1 MiB of 64 KiB clusters");
    }

    @Test
    void checkFindsAndRepairsCorruptionsOfADirtyLazyRefcountImage() {
        Path p = dir.resolve("dirty.qcow2");
        img.create(p, CreateOptions.builder(ImageFormat.QCOW2).size(ByteSize.parse("64M")).lazyRefcounts(true).build());
        // write, then abort() without flushing refcounts: leaves the dirty bit set
        ImageTestSupport.Result crash = ImageTestSupport.execRaw("qemu-io", "-f", "qcow2", "-c", "write -P 0x22 0 1M",
            "-c", "abort", p.toString());
        assertTrue(crash.code() != 0, "qemu-io abort should die");
        assertTrue(img.info(p).dirty());
        CheckResult r = img.check(p, CheckRepair.NONE);
        assertTrue(r.corruptions() > 0, r.toString());
        assertEquals(2, r.exitCode());
        assertFalse(r.clean());

        CheckResult fixed = img.check(p, CheckRepair.ALL);
        assertTrue(fixed.corruptionsFixed() > 0, fixed.toString());
        assertTrue(img.check(p, CheckRepair.NONE).clean());
        assertTrue(qemuIoHasPattern(p, "qcow2", 0x22, "0", "1M"));
    }

    @Test
    void checkFindsAndRepairsLeakedClusters() throws Exception {
        Path p = qcow2("leak.qcow2", "64M");
        // append one cluster and give it refcount 1 without any reference: a leaked cluster
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(20);
            int clusterBits = f.readInt();
            long cluster = 1L << clusterBits;
            f.seek(48);
            long refTable = f.readLong();
            f.seek(refTable);
            long refBlock = f.readLong();
            long index = (f.length() + cluster - 1) / cluster;
            f.setLength((index + 1) * cluster);
            f.seek(refBlock + 2 * index);
            f.writeShort(1);
        }
        CheckResult r = img.check(p, CheckRepair.NONE);
        assertEquals(1, r.leaks(), r.toString());
        assertEquals(0, r.corruptions());
        assertEquals(3, r.exitCode());
        CheckResult fixed = img.check(p, CheckRepair.LEAKS);
        assertEquals(1, fixed.leaksFixed());
        assertTrue(img.check(p, CheckRepair.NONE).clean());
    }

    @Test
    void checkOfRawIsAClearError() {
        Path p = dir.resolve("x.raw");
        img.create(p, CreateOptions.builder(ImageFormat.RAW).size(ByteSize.parse("1M")).build());
        QemuImgException e = assertThrows(QemuImgException.class, () -> img.check(p, CheckRepair.NONE));
        assertEquals(63, e.exitCode());
        assertTrue(e.stderr().contains("does not support checks"), e.stderr());
    }

    @Test
    void convertReportsProgressAndCopiesContent() {
        Path src = qcow2("src.qcow2", "64M");
        qemuIoWrite(src, "qcow2", 0x33, "0", "16M");
        qemuIoWrite(src, "qcow2", 0x44, "40M", "8M");
        Path dst = dir.resolve("dst.raw");
        List<Double> seen = new ArrayList<>();
        img.convert(src, dst, ConvertOptions.to(ImageFormat.RAW).withSourceFormat(ImageFormat.QCOW2), seen::add);
        assertTrue(seen.size() >= 2, seen.toString());
        assertEquals(100.0, seen.get(seen.size() - 1));
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1), seen.toString());
        }
        assertSameContent(src, dst);
        assertEquals("raw", img.info(dst).format());
    }

    @Test
    void convertCompressedAndSparse() throws Exception {
        Path src = dir.resolve("zeros.raw");
        img.create(src, CreateOptions.builder(ImageFormat.RAW).size(ByteSize.parse("16M"))
            .preallocation(Preallocation.FULL).build());
        qemuIoWrite(src, "raw", 0x55, "0", "4M");

        Path sparse = dir.resolve("sparse.raw");
        img.convert(src, sparse, ConvertOptions.to(ImageFormat.RAW).withSourceFormat(ImageFormat.RAW)
            .withSparseSize(ByteSize.parse("4K")), null);
        Path dense = dir.resolve("dense.raw");
        img.convert(src, dense, ConvertOptions.to(ImageFormat.RAW).withSourceFormat(ImageFormat.RAW)
            .withSparseSize(ByteSize.ofBytes(0)), null);
        assertSameContent(src, sparse);
        assertSameContent(src, dense);
        assertTrue(allocatedBytes(sparse) < 8L << 20, "zeros became holes: " + allocatedBytes(sparse));
        assertTrue(allocatedBytes(dense) >= 16L << 20, "-S 0 allocates all: " + allocatedBytes(dense));

        Path plain = dir.resolve("plain.qcow2");
        Path packed = dir.resolve("packed.qcow2");
        img.convert(src, plain, ConvertOptions.to(ImageFormat.QCOW2), null);
        img.convert(src, packed, ConvertOptions.to(ImageFormat.QCOW2).withCompression(true), null);
        assertSameContent(src, packed);
        assertTrue(img.check(packed, CheckRepair.NONE).compressedClusters() > 0);
        assertEquals(0, img.check(plain, CheckRepair.NONE).compressedClusters());
        assertTrue(Files.size(packed) < Files.size(plain), Files.size(packed) + " vs " + Files.size(plain));
    }

    @Test
    void internalSnapshotsCreateListApplyDelete() {
        Path p = qcow2("snap.qcow2", "64M");
        qemuIoWrite(p, "qcow2", 0x61, "0", "1M");
        img.snapshotCreate(p, "before");
        qemuIoWrite(p, "qcow2", 0x62, "0", "1M");
        img.snapshotCreate(p, "after");

        List<SnapshotInfo> list = img.snapshots(p);
        assertEquals(List.of("before", "after"), list.stream().map(SnapshotInfo::name).toList());
        String text = exec("qemu-img", "snapshot", "-l", p.toString());
        for (SnapshotInfo s : list) {
            assertTrue(text.contains(s.name()), text);
            assertTrue(s.date().getEpochSecond() > 0);
        }

        img.snapshotApply(p, "before");
        assertTrue(qemuIoHasPattern(p, "qcow2", 0x61, "0", "1M"));
        img.snapshotDelete(p, "before");
        assertEquals(List.of("after"), img.snapshots(p).stream().map(SnapshotInfo::name).toList());
        QemuImgException e = assertThrows(QemuImgException.class, () -> img.snapshotApply(p, "before"));
        assertFalse(e.stderr().isBlank());
    }

    @Test
    void commitWritesOverlayDataIntoTheBase() {
        Path base = qcow2("cbase.qcow2", "64M");
        qemuIoWrite(base, "qcow2", 0x71, "0", "2M");
        Path top = dir.resolve("ctop.qcow2");
        new Overlays(img).create(base, top, Overlays.Options.defaults());
        qemuIoWrite(top, "qcow2", 0x72, "1M", "1M");
        assertTrue(qemuIoHasPattern(base, "qcow2", 0x71, "1M", "1M"));
        List<Double> seen = new ArrayList<>();
        img.commit(top, false, seen::add);
        assertTrue(qemuIoHasPattern(base, "qcow2", 0x72, "1M", "1M"));
        assertTrue(qemuIoHasPattern(base, "qcow2", 0x71, "0", "1M"));
        assertEquals(100.0, seen.get(seen.size() - 1));
    }

    @Test
    void rebaseUnsafeAfterMovingTheBaseAndFlatten() throws Exception {
        Path base = qcow2("rbase.qcow2", "64M");
        qemuIoWrite(base, "qcow2", 0x81, "0", "1M");
        Path top = dir.resolve("rtop.qcow2");
        new Overlays(img).create(base, top, Overlays.Options.defaults());
        qemuIoWrite(top, "qcow2", 0x82, "1M", "1M");

        Files.createDirectory(dir.resolve("moved"));
        Path moved = Files.move(base, dir.resolve("moved/rbase.qcow2"));
        assertThrows(QemuImgException.class, () -> img.backingChain(top, false));
        img.rebase(top, "moved/rbase.qcow2", ImageFormat.QCOW2, true, null);
        assertEquals("moved/rbase.qcow2", img.info(top).backingFilename());
        assertEquals(moved.toAbsolutePath(), img.info(top).resolvedBacking(top).orElseThrow());
        assertTrue(qemuIoHasPattern(top, "qcow2", 0x81, "0", "1M"));

        img.rebase(top, null, null, false, null);
        assertFalse(img.info(top).hasBacking());
        Files.delete(moved);
        assertTrue(qemuIoHasPattern(top, "qcow2", 0x81, "0", "1M"));
        assertTrue(qemuIoHasPattern(top, "qcow2", 0x82, "1M", "1M"));
    }
}

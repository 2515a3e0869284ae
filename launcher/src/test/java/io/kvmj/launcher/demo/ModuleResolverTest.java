package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleResolverTest {
    @TempDir
    Path tmp;

    /** A stand-in module: junk, then a .modinfo-like NUL-separated string table. */
    static byte[] fakeModule(String depends) {
        String body = "\u007fELF-junk\0license=GPL\0depends=" + depends + "\0intree=Y\0name=x\0";
        return body.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void ordersDependenciesFirstSkipsBuiltinsAndReportsMissing() throws IOException {
        Path tree = Files.createDirectories(tmp.resolve("6.1.0-1-amd64"));
        Path k = Files.createDirectories(tree.resolve("kernel/drivers/virtio"));
        Files.write(k.resolve("virtio_ring.ko"), fakeModule(""));
        Files.write(k.resolve("virtio.ko"), fakeModule("virtio_ring"));
        Files.write(k.resolve("virtio_pci.ko"), fakeModule("virtio_ring,virtio,virtio-pci-modern-dev"));
        Files.write(k.resolve("virtio_pci_modern_dev.ko"), fakeModule(""));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream o = new GZIPOutputStream(gz)) {
            o.write(fakeModule("virtio,virtio_ring"));
        }
        Files.write(tree.resolve("kernel/virtio_blk.ko.gz"), gz.toByteArray());
        Files.writeString(tree.resolve("modules.builtin"), "kernel/fs/netfs/netfs.ko\n");

        ModuleSet set = ModuleResolver.resolve(tree, List.of("virtio_pci", "virtio_blk", "netfs", "9p"));
        assertEquals(List.of("virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci", "virtio_blk"),
            set.loadOrder());
        assertEquals(List.of("netfs"), set.builtin());
        assertEquals(List.of("9p"), set.missing());
        assertTrue(set.note().contains("9p"), set.note());
    }

    @Test
    void emptyTreeMeansEverythingMissing() throws IOException {
        ModuleSet set = ModuleResolver.resolve(tmp.resolve("nope"), List.of("virtio"));
        assertEquals(List.of(), set.modules());
        assertEquals(List.of("virtio"), set.missing());
    }

    @Test
    void zstdModulesGiveAClearError() throws IOException {
        Path f = Files.write(tmp.resolve("virtio.ko.zst"), new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> KernelModule.read(f));
        assertTrue(e.getMessage().contains("virtio.ko.zst"), e.getMessage());
    }

    @Test
    void namesNormaliseDashesAndCompressionSuffixes() {
        assertEquals("9pnet_virtio", KernelModule.nameOf("kernel/net/9p/9pnet-virtio.ko.xz"));
        assertEquals("virtio", KernelModule.nameOf("virtio.ko"));
    }
}

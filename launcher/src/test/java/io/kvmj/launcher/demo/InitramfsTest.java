package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class InitramfsTest {
    @TempDir
    Path tmp;

    @Test
    void holdsBusyboxInitConsoleAndDecompressedModulesInOrder() throws IOException {
        Path busybox = Files.write(tmp.resolve("busybox"), "fake-busybox".getBytes(StandardCharsets.UTF_8));
        Path tree = Files.createDirectories(tmp.resolve("mods"));
        byte[] a = ModuleResolverTest.fakeModule("");
        byte[] b = ModuleResolverTest.fakeModule("mod_a");
        Files.write(tree.resolve("mod_a.ko"), a);
        ByteArrayOutputStream xz = new ByteArrayOutputStream();
        try (OutputStream o = new XZOutputStream(xz, new LZMA2Options())) {
            o.write(b);
        }
        Files.write(tree.resolve("mod-b.ko.xz"), xz.toByteArray());
        ModuleSet set = ModuleResolver.resolve(tree, List.of("mod_b"));

        Path out = tmp.resolve("initrd.img");
        Initramfs.write(out, busybox, set);
        byte[] cpio;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(out))) {
            cpio = in.readAllBytes();
        }
        Map<String, Object[]> got = CpioNewcWriterTest.readBack(cpio);
        assertArrayEquals("fake-busybox".getBytes(StandardCharsets.UTF_8), (byte[]) got.get("bin/busybox")[1]);
        assertEquals("busybox", new String((byte[]) got.get("bin/sh")[1], StandardCharsets.UTF_8));
        assertTrue(((CpioArchiveEntry) got.get("dev/console")[0]).isCharacterDevice());
        CpioArchiveEntry init = (CpioArchiveEntry) got.get("init")[0];
        assertEquals(0755, init.getMode() & 07777);
        String script = new String((byte[]) got.get("init")[1], StandardCharsets.UTF_8);
        assertTrue(script.startsWith("#!/bin/sh"));
        assertTrue(script.contains("poweroff -f"));
        assertTrue(script.contains(". " + Initramfs.COMMON_SCRIPT + "\n"), "init sources the shared preamble");
        String common = new String((byte[]) got.get(Initramfs.COMMON_SCRIPT.substring(1))[1], StandardCharsets.UTF_8);
        assertTrue(common.contains("load_modules()") && common.contains("mount -t devtmpfs"), common);
        assertArrayEquals(a, (byte[]) got.get("lib/modules/kvmj/mod_a.ko")[1]);
        assertArrayEquals(b, (byte[]) got.get("lib/modules/kvmj/mod_b.ko")[1], "xz module stored decompressed");
        assertEquals("mod_a\nmod_b\n", new String((byte[]) got.get("lib/modules/kvmj/order")[1], StandardCharsets.UTF_8));
        for (String d : List.of("proc", "sys", "dev", "tmp", "mnt")) {
            assertTrue(((CpioArchiveEntry) got.get(d)[0]).isDirectory(), d);
        }
    }
}

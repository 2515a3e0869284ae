package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpioNewcWriterTest {
    @TempDir
    Path tmp;

    /** Reads every entry back with Apache Commons Compress (an independent newc reader). */
    static Map<String, Object[]> readBack(byte[] archive) throws IOException {
        Map<String, Object[]> out = new LinkedHashMap<>();
        try (CpioArchiveInputStream in = new CpioArchiveInputStream(new ByteArrayInputStream(archive))) {
            CpioArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                assertEquals(CpioConstants.FORMAT_NEW, e.getFormat(), "format of " + e.getName());
                out.put(e.getName(), new Object[] {e, in.readAllBytes()});
            }
        }
        return out;
    }

    @Test
    void writesEveryEntryKindReadableByAnIndependentReader() throws IOException {
        Path src = tmp.resolve("payload.bin");
        byte[] payload = new byte[12345];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        Files.write(src, payload);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (CpioNewcWriter w = new CpioNewcWriter(bos, 1_700_000_000L)) {
            w.directory("/bin", 0755)
                .file("bin/a", 0644, "x".getBytes(StandardCharsets.UTF_8))      // 1 byte: needs 3 padding bytes
                .file("bin/payload", 0700, src)
                .symlink("bin/sh", "busybox")
                .charDevice("dev/console", 0600, 5, 1)
                .blockDevice("dev/vda", 0660, 254, 0)
                .file("empty", 0600, new byte[0]);
        }
        byte[] archive = bos.toByteArray();
        assertEquals(0, archive.length % 512, "archive padded to 512-byte blocks");
        assertEquals("070701", new String(archive, 0, 6, StandardCharsets.US_ASCII));

        Map<String, Object[]> got = readBack(archive);
        assertEquals(List.of("bin", "bin/a", "bin/payload", "bin/sh", "dev/console", "dev/vda", "empty"),
            List.copyOf(got.keySet()));

        CpioArchiveEntry dir = (CpioArchiveEntry) got.get("bin")[0];
        assertTrue(dir.isDirectory());
        assertEquals(CpioNewcWriter.S_IFDIR | 0755, dir.getMode());
        assertEquals(2, dir.getNumberOfLinks());
        assertEquals(1_700_000_000L, dir.getTime(), "mtime in seconds");

        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), (byte[]) got.get("bin/a")[1]);
        CpioArchiveEntry p = (CpioArchiveEntry) got.get("bin/payload")[0];
        assertEquals(CpioNewcWriter.S_IFREG | 0700, p.getMode());
        assertArrayEquals(payload, (byte[]) got.get("bin/payload")[1]);

        CpioArchiveEntry sh = (CpioArchiveEntry) got.get("bin/sh")[0];
        assertTrue(sh.isSymbolicLink());
        assertEquals("busybox", new String((byte[]) got.get("bin/sh")[1], StandardCharsets.UTF_8));

        CpioArchiveEntry con = (CpioArchiveEntry) got.get("dev/console")[0];
        assertTrue(con.isCharacterDevice());
        assertEquals(5, con.getRemoteDeviceMaj());
        assertEquals(1, con.getRemoteDeviceMin());
        assertEquals(0600, con.getMode() & 07777);
        CpioArchiveEntry vda = (CpioArchiveEntry) got.get("dev/vda")[0];
        assertTrue(vda.isBlockDevice());
        assertEquals(254, vda.getRemoteDeviceMaj());

        assertEquals(0, ((byte[]) got.get("empty")[1]).length);
        // distinct inode numbers, so the kernel does not treat entries as hard links
        assertEquals(got.size(), got.values().stream().map(o -> ((CpioArchiveEntry) o[0]).getInode()).distinct().count());
    }

    @Test
    void rejectsDuplicateAndBadNamesAndWritesAfterFinish() throws IOException {
        CpioNewcWriter w = new CpioNewcWriter(new ByteArrayOutputStream(), 0);
        w.file("a", 0644, new byte[1]);
        assertThrows(IllegalArgumentException.class, () -> w.file("/a", 0644, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> w.file("x/../y", 0644, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> w.directory("/", 0755));
        assertThrows(IllegalArgumentException.class, () -> w.symlink("l", ""));
        w.finish();
        assertThrows(IllegalStateException.class, () -> w.file("b", 0644, new byte[1]));
    }

    @Test
    void trailerIsTheLastEntry() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (CpioNewcWriter w = new CpioNewcWriter(bos, 0)) {
            w.file("f", 0644, new byte[] {1, 2, 3});
        }
        String s = new String(bos.toByteArray(), StandardCharsets.US_ASCII);
        int trailer = s.indexOf("TRAILER!!!");
        assertTrue(trailer > 0);
        assertEquals(-1, s.indexOf("070701", trailer), "no header after the trailer");
        assertEquals(List.of("f"), List.copyOf(readBack(bos.toByteArray()).keySet()), "only f before the trailer");
    }
}

package io.kvmj.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
    @Test
    void parsesSuffixesLikeQemuImg() {
        assertEquals(10L * 1024 * 1024 * 1024, ByteSize.parse("10G").bytes());
        assertEquals(512L * 1024 * 1024, ByteSize.parse("512M").bytes());
        assertEquals(64L * 1024, ByteSize.parse("64k").bytes());
        assertEquals(1536L * 1024 * 1024, ByteSize.parse("1.5G").bytes());
        assertEquals(4096, ByteSize.parse("4096").bytes());
        assertEquals(2L << 40, ByteSize.parse("2TiB").bytes());
        assertEquals(1L << 60, ByteSize.parse("1E").bytes());
    }

    @Test
    void rejectsNonsenseWithTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("10X"));
        assertTrue(e.getMessage().contains("10X"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("-1G"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("1.5"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("100000E"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(""));
    }

    @Test
    void humanForm() {
        assertEquals("10 GiB", ByteSize.parse("10G").toHuman());
        assertEquals("1.5 MiB", ByteSize.parse("1536K").toHuman());
        assertEquals("100 B", ByteSize.ofBytes(100).toHuman());
    }
}

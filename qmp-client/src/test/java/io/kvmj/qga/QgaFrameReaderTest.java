package io.kvmj.qga;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QgaFrameReaderTest {

    private static void feed(QgaFrameReader r, String s) {
        r.feed(ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static void assertLine(String expected, byte[] frame) {
        assertArrayEquals(expected.getBytes(StandardCharsets.ISO_8859_1), frame, () -> new String(frame));
    }

    @Test
    void linesSplitAnywhereAndCrLfAndBlankLines() {
        QgaFrameReader r = new QgaFrameReader(1024);
        String all = "{\"return\": {}}\r\n\n   \n{\"return\": 5}\n";
        for (char c : all.toCharArray()) {
            feed(r, String.valueOf(c));
        }
        assertLine("{\"return\": {}}", r.next());
        assertLine("{\"return\": 5}", r.next());
        assertNull(r.next());
        assertFalse(r.hasBuffered());
    }

    @Test
    void delimiterDropsPartialLine() {
        QgaFrameReader r = new QgaFrameReader(1024);
        feed(r, "stale half line\u00ff{\"return\": 7}\n{\"ret");
        assertSame(QgaFrameReader.DELIMITER, r.next());
        assertLine("{\"return\": 7}", r.next());
        assertNull(r.next());
        assertTrue(r.hasBuffered());
        feed(r, "urn\": 1}\n");
        assertLine("{\"return\": 1}", r.next());
    }

    @Test
    void oversizedLineIsReportedOnceAndSkipped() {
        QgaFrameReader r = new QgaFrameReader(1024);
        feed(r, "x".repeat(1500));
        assertSame(QgaFrameReader.OVERSIZED, r.next());
        feed(r, "y".repeat(3000));
        assertNull(r.next());
        feed(r, "zz\n{\"return\": 2}\n");
        assertLine("{\"return\": 2}", r.next());
        assertNull(r.next());
    }

    @Test
    void oversizedCompleteLineInOneReadIsReported() {
        QgaFrameReader r = new QgaFrameReader(1024);
        feed(r, "x".repeat(1025) + "\n{\"return\": 3}\n");
        assertSame(QgaFrameReader.OVERSIZED, r.next());
        assertLine("{\"return\": 3}", r.next());
    }

    @Test
    void growsForLongLinesWithinTheLimit() {
        QgaFrameReader r = new QgaFrameReader(1 << 20);
        String big = "{\"return\": \"" + "a".repeat(100_000) + "\"}";
        for (int i = 0; i < big.length(); i += 7000) {
            feed(r, big.substring(i, Math.min(big.length(), i + 7000)));
            assertNull(r.next());
        }
        feed(r, "\n");
        assertLine(big, r.next());
    }
}

package io.kvmj.qga;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Splits the agent's byte stream into frames: reply lines (ended by LF, a trailing CR dropped, blank lines
 * skipped) and the {@code 0xFF} sync delimiter that precedes a {@code guest-sync-delimited} reply. A line longer
 * than the limit is reported once as {@link #OVERSIZED} and skipped up to its end. Not thread-safe: used under the
 * client's lock.
 */
final class QgaFrameReader {
    /** Marker frame: the {@code 0xFF} delimiter (any partial line before it is dropped). */
    static final byte[] DELIMITER = new byte[0];
    /** Marker frame: a line longer than the limit (being skipped). */
    static final byte[] OVERSIZED = new byte[0];

    private final int maxLine;
    private byte[] buf = new byte[8192];
    private int start;
    private int end;
    private int scan;
    private boolean skipping;

    QgaFrameReader(int maxLine) {
        this.maxLine = maxLine;
    }

    /** Appends received bytes. */
    void feed(ByteBuffer src) {
        int n = src.remaining();
        if (start > 0 && end + n > buf.length) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            scan -= start;
            start = 0;
        }
        if (end + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(end + n, Math.min(Integer.MAX_VALUE - 16, buf.length * 2)));
        }
        src.get(buf, end, n);
        end += n;
    }

    /**
     * The next frame: a line (without its LF), {@link #DELIMITER}, {@link #OVERSIZED}, or {@code null} when more
     * bytes are needed.
     */
    byte[] next() {
        for (int i = scan; i < end; i++) {
            byte b = buf[i];
            if (b == (byte) 0xFF) {
                consume(i + 1);
                skipping = false;
                return DELIMITER;
            }
            if (b == '\n') {
                int from = start;
                consume(i + 1);
                if (skipping) {
                    skipping = false;
                    continue;
                }
                int to = i > from && buf[i - 1] == '\r' ? i - 1 : i;
                if (to - from > maxLine) {
                    return OVERSIZED;
                }
                if (!blank(from, to)) {
                    return Arrays.copyOfRange(buf, from, to);
                }
            }
        }
        scan = end;
        if (skipping) {
            consume(end);
        } else if (end - start > maxLine) {
            skipping = true;
            consume(end);
            return OVERSIZED;
        }
        return null;
    }

    /** Whether received bytes are waiting (a partial or unread frame). */
    boolean hasBuffered() {
        return end > start;
    }

    /** Drops everything buffered. */
    void clear() {
        start = 0;
        end = 0;
        scan = 0;
        skipping = false;
    }

    private void consume(int upTo) {
        start = upTo;
        scan = upTo;
        if (start == end) {
            start = 0;
            end = 0;
            scan = 0;
        }
    }

    private boolean blank(int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}

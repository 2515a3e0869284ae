package io.kvmj.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The serial console log of a guest (written by QEMU's chardev {@code logfile=}, also while nobody is connected),
 * read like {@code tail -f}.
 *
 * <p>{@link #await} works like expect: it searches from a cursor (initially the start of the log) and moves
 * the cursor past each match, so consecutive awaits match consecutive output. Bytes are decoded as ISO-8859-1
 * for matching (one char per byte; ASCII patterns behave as usual). Thread-safe: await is synchronized; streams
 * are independent readers.
 */
public final class ConsoleLog {
    private static final long POLL_MS = 25;

    private final Path file;
    private final BooleanSupplier writerAlive;
    private long cursor;

    /**
     * @param file        the log file
     * @param writerAlive true while QEMU may still append (reading stops at end-of-file once false)
     */
    public ConsoleLog(Path file, BooleanSupplier writerAlive) {
        this.file = file;
        this.writerAlive = writerAlive;
    }

    /** The log file. */
    public Path file() {
        return file;
    }

    /**
     * Waits until {@code pattern} matches the output after the cursor, at most {@code timeout}.
     *
     * @return the match (the cursor moves to its end); empty on time-out or when QEMU exited without a match
     */
    public synchronized Optional<MatchResult> await(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean aliveBefore = writerAlive.getAsBoolean();
            String text = readFrom(cursor);
            Matcher m = pattern.matcher(text);
            if (m.find()) {
                MatchResult r = m.toMatchResult();
                cursor += r.end();
                return Optional.of(r);
            }
            if (!aliveBefore || System.nanoTime() >= deadline) {
                return Optional.empty();
            }
            try {
                Thread.sleep(Math.max(1, Math.min(POLL_MS, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** Moves the cursor to the current end of the log (later awaits only see newer output). */
    public synchronized void skipToEnd() {
        try {
            cursor = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            // keep cursor
        }
    }

    /** Everything logged so far, decoded as UTF-8 (malformed bytes replaced). */
    public String text() {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The last {@code lines} lines of the log. */
    public String tail(int lines) {
        return io.kvmj.launcher.process.FileTail.lastLines(file, lines, 16384);
    }

    /**
     * A stream over the whole console output from the start that blocks (polling) for new output while QEMU
     * runs and ends (EOF) once QEMU has exited and everything was read. Closing it only stops this reader.
     */
    public InputStream stream() {
        return new FollowStream();
    }

    private String readFrom(long offset) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            if (len <= offset) {
                return "";
            }
            byte[] buf = new byte[(int) Math.min(Integer.MAX_VALUE - 8, len - offset)];
            raf.seek(offset);
            raf.readFully(buf);
            return new String(buf, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    private final class FollowStream extends InputStream {
        private long pos;
        private volatile boolean closed;

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            int n = read(b, 0, 1);
            return n < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (!closed) {
                boolean alive = writerAlive.getAsBoolean();
                if (Files.exists(file)) {
                    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                        if (raf.length() > pos) {
                            raf.seek(pos);
                            int n = raf.read(b, off, (int) Math.min(len, raf.length() - pos));
                            if (n > 0) {
                                pos += n;
                                return n;
                            }
                        }
                    }
                }
                if (!alive) {
                    return -1;
                }
                try {
                    Thread.sleep(POLL_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while following " + file);
                }
            }
            return -1;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}

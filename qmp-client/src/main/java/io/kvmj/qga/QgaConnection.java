package io.kvmj.qga;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One connection to the agent socket: a non-blocking {@link SocketChannel} with its own {@link Selector}, driven
 * by the calling thread (under the client's lock), so every read and write has a deadline and no thread is
 * needed. Failures map to the client's error types: I/O errors and EOF to {@link QgaGuestGoneException}, a
 * passed deadline to {@link QgaNotAnsweringException}, a local {@link #close()} to {@link QgaClosedException}.
 */
final class QgaConnection implements AutoCloseable {
    private final Path socket;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final QgaFrameReader reader;
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    private volatile boolean closed;

    private QgaConnection(Path socket, SocketChannel channel, Selector selector, int maxLine) throws IOException {
        this.socket = socket;
        this.channel = channel;
        this.selector = selector;
        this.key = channel.register(selector, 0);
        this.reader = new QgaFrameReader(maxLine);
    }

    /** Connects to the agent socket; a missing socket or a refusal is {@link QgaGuestGoneException}. */
    static QgaConnection open(Path socket, int maxLine) {
        SocketChannel ch = null;
        Selector sel = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            sel = Selector.open();
            return new QgaConnection(socket, ch, sel, maxLine);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            closeQuietly(sel);
            throw new QgaGuestGoneException("cannot connect to the guest agent: " + e.getMessage(), socket, e);
        }
    }

    QgaFrameReader reader() {
        return reader;
    }

    /** Writes all of {@code bytes} before {@code deadline} ({@link System#nanoTime()}). */
    void write(ByteBuffer bytes, long deadline, String command, Duration timeout) {
        try {
            while (bytes.hasRemaining()) {
                if (channel.write(bytes) == 0) {
                    await(SelectionKey.OP_WRITE, deadline, command, timeout);
                }
            }
        } catch (IOException e) {
            throw gone("write of " + command + " failed", e);
        } catch (ClosedSelectorException | CancelledKeyException e) {
            throw gone("write of " + command + " failed", new ClosedChannelException());
        }
    }

    /** Reads what has arrived into the frame reader, waiting until {@code deadline} for at least one byte. */
    void fill(long deadline, String command, Duration timeout) {
        try {
            while (true) {
                in.clear();
                int n = channel.read(in);
                if (n < 0) {
                    throw gone("the agent socket was closed while waiting for " + command, null);
                }
                if (n > 0) {
                    in.flip();
                    reader.feed(in);
                    return;
                }
                await(SelectionKey.OP_READ, deadline, command, timeout);
            }
        } catch (IOException e) {
            throw gone("read failed while waiting for " + command, e);
        } catch (ClosedSelectorException | CancelledKeyException e) {
            throw gone("read failed while waiting for " + command, new ClosedChannelException());
        }
    }

    /**
     * Reads whatever is already there without waiting. Returns whether any byte is buffered (data nobody asked
     * for); EOF is {@link QgaGuestGoneException}.
     */
    boolean pollStale() {
        try {
            while (true) {
                in.clear();
                int n = channel.read(in);
                if (n < 0) {
                    throw gone("the agent socket was closed", null);
                }
                if (n == 0) {
                    return reader.hasBuffered();
                }
                in.flip();
                reader.feed(in);
            }
        } catch (IOException e) {
            throw gone("read failed", e);
        }
    }

    private void await(int op, long deadline, String command, Duration timeout) throws IOException {
        key.interestOps(op);
        try {
            while (true) {
                if (closed) {
                    throw new QgaClosedException("guest agent client closed while waiting for " + command);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new QgaNotAnsweringException(command, timeout);
                }
                int ready = selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
                selector.selectedKeys().clear();
                if (Thread.currentThread().isInterrupted()) {
                    throw new QgaException("interrupted while waiting for " + command);
                }
                if (ready > 0) {
                    return;
                }
            }
        } finally {
            if (!closed) {
                key.interestOps(0);
            }
        }
    }

    private RuntimeException gone(String message, Throwable cause) {
        if (closed) {
            return new QgaClosedException("guest agent client closed (" + message + ")");
        }
        String detail = cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return new QgaGuestGoneException(message + detail, socket, cause);
    }

    /** Closes the socket; a thread waiting in {@link #fill} or {@link #write} wakes up with {@link QgaClosedException}. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(selector);
        closeQuietly(channel);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }
}

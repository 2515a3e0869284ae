package io.kvmj.launcher;

import io.kvmj.launcher.process.SocketBusyException;
import io.kvmj.launcher.process.SocketClaim;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A client connection to a guest's serial console socket (QEMU is the server; it accepts one client at a time,
 * and kvmj clients {@linkplain SocketClaim claim} the socket so that a second one is refused, not queued).
 * Output from the guest is handed to an optional consumer on a daemon reader thread (and otherwise dropped: the
 * console log already records it), so QEMU's writes never block on us. Thread-safe.
 */
public final class ConsoleConnection implements AutoCloseable {
    private final SocketChannel channel;
    private final SocketClaim claim;
    private final Thread reader;

    private ConsoleConnection(SocketChannel channel, SocketClaim claim, Consumer<byte[]> sink, String name) {
        this.channel = channel;
        this.claim = claim;
        this.reader = new Thread(() -> drain(sink), "kvmj-console-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Connects to {@code socket}, retrying while it is missing or refusing, at most {@code timeout}. The socket is
     * {@linkplain SocketClaim claimed} first: while another kvmj client (this JVM or another process) is attached,
     * this fails at once, so input is never queued behind the attached client.
     *
     * @param sink receives guest output chunks, or {@code null} to drop them
     * @throws SocketBusyException when another kvmj client is attached
     */
    public static ConsoleConnection connect(Path socket, Duration timeout, Consumer<byte[]> sink, String name)
            throws IOException {
        SocketClaim claim = SocketClaim.claim(socket);
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last;
        do {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                return new ConsoleConnection(ch, claim, sink, name);
            } catch (IOException e) {
                ch.close();
                last = e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                claim.close();
                throw new IOException("interrupted while connecting to " + socket, ie);
            }
        } while (System.nanoTime() < deadline);
        claim.close();
        throw new IOException("cannot connect to console socket " + socket + " within " + timeout.toMillis()
                + " ms: " + last.getMessage(), last);
    }

    /** Writes {@code text} (UTF-8) to the guest's serial port. */
    public synchronized void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes raw bytes to the guest's serial port. */
    public synchronized void send(byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    /** True while connected. */
    public boolean isOpen() {
        return channel.isOpen() && reader.isAlive();
    }

    private void drain(Consumer<byte[]> sink) {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        try {
            while (channel.read(buf) >= 0) {
                buf.flip();
                if (sink != null && buf.hasRemaining()) {
                    byte[] chunk = new byte[buf.remaining()];
                    buf.get(chunk);
                    sink.accept(chunk);
                }
                buf.clear();
            }
        } catch (IOException ignored) {
            // closed
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing
            }
            claim.close();
        }
    }

    /** Waits at most {@code timeout} for the connection to end (QEMU exited or closed it). */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        reader.join(Math.max(1, timeout.toMillis()));
        return !reader.isAlive();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing
        }
        claim.close();
    }
}

package io.kvmj.qmp;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * Writes QMP commands on the caller's thread straight into the socket, so a command costs no hand-off to the I/O
 * thread (which only reads). The socket is the {@code java.nio} channel under the Netty channel
 * ({@link #RAW}, set by {@link QmpSockets} when it creates the channel); it is non-blocking, so a write never
 * blocks: what the socket does not take at once goes through Netty's outbound buffer, and every later command
 * follows it there until Netty has flushed it all, so the byte order of commands is kept. Without {@link #RAW}
 * every write goes through Netty.
 */
final class DirectWriter {
    /** The {@code java.nio} socket under a Netty channel created by {@link QmpSockets}. */
    static final AttributeKey<SocketChannel> RAW = AttributeKey.valueOf("kvmj.qmp.raw");

    private final Channel channel;
    private final SocketChannel raw;
    /** Writes handed to Netty and not yet flushed. Guarded by {@code this}. */
    private int queued;

    DirectWriter(Channel channel) {
        this.channel = channel;
        this.raw = channel.attr(RAW).get();
    }

    /**
     * Writes one whole message. A failure (connection gone) is reported to {@code onFailure}, on this thread or
     * on the I/O thread, and closes the channel.
     */
    void write(byte[] message, Consumer<Throwable> onFailure) {
        ByteBuffer buf = ByteBuffer.wrap(message);
        synchronized (this) {
            if (queued == 0 && raw != null) {
                try {
                    while (buf.hasRemaining() && raw.write(buf) > 0) {
                        // the socket took some: offer the rest
                    }
                } catch (IOException e) {
                    onFailure.accept(e);
                    channel.close();
                    return;
                }
                if (!buf.hasRemaining()) {
                    return;
                }
            }
            queued++;
            // enqueued under the lock, so Netty sends queued messages in the order the callers wrote them
            channel.writeAndFlush(Unpooled.wrappedBuffer(buf)).addListener(f -> {
                synchronized (DirectWriter.this) {
                    queued--;
                }
                if (!f.isSuccess()) {
                    onFailure.accept(f.cause());
                }
            });
        }
    }
}

package io.kvmj.qmp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects a {@link QmpClient} with bounded retry: while the socket file does not exist yet or refuses (QEMU
 * still starting), it retries; other errors (path too long, permission denied) fail at once. It retries with a
 * short backoff (5 ms doubling to 100 ms) until the connect timeout. Retries are scheduled on the I/O thread;
 * nothing blocks. Each attempt opens a fresh socket through {@link QmpSockets}, so the client can write to it
 * directly ({@link DirectWriter}).
 */
final class Connector {
    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);

    private final QmpClient client;
    private final IoResources io;
    private final SocketAddress address;
    private final QmpClientOptions options;
    private final long deadline;

    private Connector(QmpClient client, IoResources io, SocketAddress address, QmpClientOptions options) {
        this.client = client;
        this.io = io;
        this.address = address;
        this.options = options;
        this.deadline = System.nanoTime() + options.connectTimeout().toNanos();
    }

    static void start(QmpClient client, IoResources io, SocketAddress address, QmpClientOptions options) {
        new Connector(client, io, address, options).attempt(0);
    }

    private void attempt(int n) {
        SocketChannel socket;
        try {
            socket = QmpSockets.open(address);
        } catch (IOException e) {
            client.connectFailed(new QmpConnectException("cannot open a socket for QMP at " + address + ": " + e, e));
            return;
        }
        boolean unix = QmpSockets.unix(address);
        ChannelFuture connecting = new Bootstrap().group(io.group())
                .channelFactory(() -> QmpSockets.wrap(socket, unix))
                .handler(QmpInboundHandler.initializer(client, options.maxLineLength()))
                .connect(address);
        connecting.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                return;
            }
            if (retriable(f.cause()) && System.nanoTime() < deadline && !client.closeRequested()) {
                long delayMs = Math.min(100, 5L << Math.min(n, 5));
                LOG.debug("[{}] connect to {} failed ({}), retry in {} ms", client.label(), address, f.cause(),
                        delayMs);
                io.group().schedule(() -> attempt(n + 1), delayMs, TimeUnit.MILLISECONDS);
                return;
            }
            String when = retriable(f.cause()) ? " within " + options.connectTimeout().toMillis() + " ms" : "";
            client.connectFailed(new QmpConnectException("cannot connect to QMP at " + address + when + " ("
                    + (n + 1) + (n == 0 ? " attempt" : " attempts") + "): " + f.cause(), f.cause()));
        });
    }

    /** Worth retrying: QEMU has not created the socket yet, or is not listening yet. */
    static boolean retriable(Throwable t) {
        if (t instanceof ConnectException) {
            return true;
        }
        String m = t == null ? null : t.getMessage();
        return t instanceof SocketException && m != null && m.contains("No such file or directory");
    }
}

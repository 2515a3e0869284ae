package io.kvmj.qmp;

import io.netty.channel.Channel;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.nio.NioSelectableChannelIoHandle;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for QEMU to connect to us: start QEMU with {@code -qmp unix:PATH} (no {@code server}) <em>after</em>
 * {@link #listen(Path)} returned, then {@link #accept(Duration)}. This removes the connect/poll race at launch:
 * the socket exists before QEMU starts, and QEMU fails fast if it cannot connect.
 *
 * <pre>{@code
 * try (QmpListener l = QmpListener.listen(sock)) {
 *     Process qemu = new ProcessBuilder("qemu-system-x86_64", "-qmp", "unix:" + sock, ...).start();
 *     QmpClient qmp = l.accept(Duration.ofSeconds(10)).join();
 * }
 * }</pre>
 *
 * Accepted clients share the listener's I/O thread and outlive {@link #close()}, which only stops listening and
 * removes the socket file.
 */
public final class QmpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QmpListener.class);

    private final SocketAddress address;
    private final QmpClientOptions options;
    private final IoResources io;
    private final Deque<CompletableFuture<QmpClient>> arrivals = new ArrayDeque<>();
    private final Deque<CompletableFuture<QmpClient>> waiting = new ArrayDeque<>();
    private ServerSocketChannel server;
    private IoRegistration registration;
    private boolean closed;

    private QmpListener(SocketAddress address, QmpClientOptions options) {
        this.address = address;
        this.options = options;
        this.io = IoResources.create(options.name() + "-listen", options.busyPoll().toNanos());
    }

    /** Listens on a Unix socket path with default options (an existing socket file there is replaced). */
    public static QmpListener listen(Path socket) {
        return listen(socket, QmpClientOptions.defaults());
    }

    /** Listens on a Unix socket path (an existing socket file there is replaced; other files are an error). */
    public static QmpListener listen(Path socket, QmpClientOptions options) {
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(socket)) {
                throw new QmpConnectException("cannot listen on " + socket + ": a non-socket file exists there",
                        null);
            }
            try {
                Files.delete(socket);
            } catch (IOException e) {
                throw new QmpConnectException("cannot remove stale socket " + socket + ": " + e, e);
            }
        }
        return listen(UnixDomainSocketAddress.of(socket), options);
    }

    /** Listens on a {@link UnixDomainSocketAddress} or {@link java.net.InetSocketAddress} (QEMU {@code tcp:}). */
    public static QmpListener listen(SocketAddress address, QmpClientOptions options) {
        QmpListener l = new QmpListener(address, options);
        l.bind();
        return l;
    }

    private void bind() {
        try {
            server = QmpSockets.bind(address);
        } catch (IOException | RuntimeException e) {
            failBind(e);
        }
        Future<IoRegistration> f = io.group().register(new Acceptor(server)).awaitUninterruptibly();
        if (!f.isSuccess()) {
            try {
                server.close();
            } catch (IOException e) {
                f.cause().addSuppressed(e);
            }
            failBind(f.cause());
        }
        registration = f.getNow();
        io.group().submit(() -> registration.submit(NioIoOps.ACCEPT)).awaitUninterruptibly();
        LOG.debug("listening for QMP on {}", address);
    }

    private void failBind(Throwable cause) {
        io.release();
        io.awaitTermination(2000);
        throw new QmpConnectException("cannot listen on " + address + ": " + cause, cause);
    }

    /** The server socket on the I/O thread: accepts every pending connection when it is readable. */
    private final class Acceptor extends NioSelectableChannelIoHandle<ServerSocketChannel> {
        Acceptor(ServerSocketChannel channel) {
            super(channel);
        }

        @Override
        protected void handle(ServerSocketChannel channel, SelectionKey key) {
            while (key.isValid() && key.isAcceptable()) {
                SocketChannel socket;
                try {
                    socket = channel.accept();
                } catch (IOException e) {
                    LOG.warn("accepting a QMP connection on {} failed: {}", address, e.toString());
                    return;
                }
                if (socket == null) {
                    return;
                }
                accepted(socket);
            }
        }
    }

    /** I/O thread: a QEMU connected; its client shares this listener's I/O thread. */
    private void accepted(SocketChannel socket) {
        QmpClient c;
        try {
            c = QmpClient.forAccepted(options, io);
        } catch (IllegalStateException e) {
            closeQuietly(socket);
            return;
        }
        Channel ch = QmpSockets.wrap(socket, QmpSockets.unix(address));
        QmpInboundHandler.install(ch, c, options.maxLineLength());
        io.group().register(ch).addListener(f -> {
            if (f.isSuccess()) {
                arrived(c, ch);
            } else {
                LOG.warn("cannot register the accepted QMP connection on {}: {}", address, f.cause().toString());
                closeQuietly(socket);
            }
        });
    }

    /** Deregisters and closes the server socket, on the I/O thread (waited for unless called there). */
    private void stopAccepting() {
        Runnable stop = () -> {
            registration.cancel();
            try {
                server.close();
            } catch (IOException e) {
                LOG.debug("closing the QMP server socket {} failed", address, e);
            }
        };
        if (io.inEventLoop()) {
            stop.run();
        } else {
            io.group().submit(stop).awaitUninterruptibly(5000);
        }
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing an accepted socket failed", e);
        }
    }

    private void arrived(QmpClient c, Channel ch) {
        CompletableFuture<QmpClient> w;
        synchronized (this) {
            if (closed) {
                ch.close(); // the client cleans up in channelInactive
                return;
            }
            w = waiting.poll();
            if (w == null) {
                arrivals.add(c.readyFuture());
                return;
            }
        }
        link(w, c.readyFuture());
    }

    private static void link(CompletableFuture<QmpClient> target, CompletableFuture<QmpClient> ready) {
        ready.whenComplete((c, t) -> {
            if (t != null) {
                target.completeExceptionally(t);
            } else if (!target.complete(c)) {
                LOG.debug("accept already timed out or cancelled; closing late client {}", c);
                c.close();
            }
        });
    }

    /** The address listened on (for TCP port 0, the port actually bound). */
    public SocketAddress address() {
        try {
            SocketAddress bound = server.getLocalAddress();
            return bound == null ? address : bound;
        } catch (IOException e) {
            return address;
        }
    }

    /**
     * The next QEMU connection, once its QMP session is negotiated. Fails with {@link QmpTimeoutException} if no
     * negotiated session arrives within {@code timeout}, or {@link QmpDisconnectedException} if the listener is
     * closed first.
     */
    public CompletableFuture<QmpClient> accept(Duration timeout) {
        CompletableFuture<QmpClient> f = new CompletableFuture<>();
        CompletableFuture<QmpClient> arrived;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new QmpDisconnectedException("listener closed", null));
            }
            arrived = arrivals.poll();
            if (arrived == null) {
                waiting.add(f);
            }
        }
        if (arrived != null) {
            link(f, arrived);
        }
        java.util.concurrent.Future<?> timer = io.group().schedule(() -> {
            synchronized (this) {
                waiting.remove(f);
            }
            f.completeExceptionally(new QmpTimeoutException("no QMP connection accepted on " + address, timeout));
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        f.whenComplete((c, t) -> timer.cancel(false));
        return f;
    }

    /** Blocking {@link #accept(Duration)}. */
    public QmpClient acceptNow(Duration timeout) {
        return Futures.await(accept(timeout));
    }

    /** Stops listening and removes the socket file; accepted clients stay open. Idempotent. */
    @Override
    public void close() {
        Deque<CompletableFuture<QmpClient>> w;
        Deque<CompletableFuture<QmpClient>> a;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            w = new ArrayDeque<>(waiting);
            a = new ArrayDeque<>(arrivals);
            waiting.clear();
            arrivals.clear();
        }
        stopAccepting();
        w.forEach(f -> f.completeExceptionally(new QmpDisconnectedException("listener closed", null)));
        a.forEach(f -> f.thenAccept(QmpClient::close));
        if (address instanceof UnixDomainSocketAddress u) {
            try {
                Files.deleteIfExists(u.getPath());
            } catch (IOException e) {
                LOG.debug("cannot remove socket {}", u.getPath(), e);
            }
        }
        io.release();
        io.awaitTermination(5000);
    }
}

package io.kvmj.qmp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty implementation of {@link QmpMonitor} over a Unix domain socket ({@code NioDomainSocketChannel}, no
 * native library) or TCP. Obtain one with {@link #connect(Path)} (QEMU is the server, e.g.
 * {@code -qmp unix:PATH,server=on,wait=off}) or from {@link QmpListener#accept(Duration)} (QEMU connects to us,
 * {@code -qmp unix:PATH}).
 *
 * <p>Threads: one NIO I/O thread per connection (listener-accepted clients share the listener's), one
 * event-dispatch thread, both named {@code kvmj-qmp-*} and stopped by {@link #close()}. The I/O thread only
 * parses, routes replies by id and enqueues events; futures are completed on the configured completion executor.
 */
public final class QmpClient implements QmpMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(QmpClient.class);
    private static final AtomicLong CLIENT_SEQ = new AtomicLong();
    private static final int MAX_REMEMBERED_TIMEOUTS = 10_000;

    private final String label;
    private final QmpClientOptions options;
    private final IoResources io;
    private final EventDispatcher events;
    private final ConcurrentHashMap<String, PendingCommand> pending = new ConcurrentHashMap<>();
    private final Set<String> timedOut = ConcurrentHashMap.newKeySet();
    private final List<EventWaiter> waiters = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong unknownReplies = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final CompletableFuture<QmpClient> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean readyDone = new AtomicBoolean();
    private final String idPrefix;
    private volatile CompletableFuture<QmpSchema> schema;
    private volatile Channel channel;
    private volatile QmpGreeting greeting;
    private volatile boolean greetingSeen;
    private volatile boolean closeRequested;
    private volatile boolean quitSent;
    private volatile boolean closed;
    private volatile Throwable lastError;

    QmpClient(QmpClientOptions options, IoResources io) {
        long seq = CLIENT_SEQ.incrementAndGet();
        this.label = options.name() + "-" + seq;
        this.idPrefix = "k" + seq + ".";
        this.options = options;
        this.io = io;
        this.events = new EventDispatcher(label, options.eventQueueCapacity(), options.initialListeners());
    }

    // ---------------------------------------------------------------- factories

    /** Connects to QEMU's QMP server socket with default options (retrying while the socket file is missing). */
    public static CompletableFuture<QmpClient> connect(Path socket) {
        return connect(socket, QmpClientOptions.defaults());
    }

    /** Connects to a Unix socket, retrying for {@link QmpClientOptions#connectTimeout()} while absent/refusing. */
    public static CompletableFuture<QmpClient> connect(Path socket, QmpClientOptions options) {
        return connect(UnixDomainSocketAddress.of(socket), options);
    }

    /**
     * Connects to a {@link UnixDomainSocketAddress} or an {@link java.net.InetSocketAddress} and negotiates the
     * session. The future completes with a ready client, or with {@link QmpConnectException} /
     * {@link QmpGreetingException}.
     */
    public static CompletableFuture<QmpClient> connect(SocketAddress address, QmpClientOptions options) {
        IoResources io = IoResources.create(options.name());
        QmpClient client = new QmpClient(options, io);
        Bootstrap b = new Bootstrap().group(io.group())
                .channel(address instanceof UnixDomainSocketAddress ? NioDomainSocketChannel.class
                        : NioSocketChannel.class)
                .handler(QmpInboundHandler.initializer(client, options.maxLineLength()));
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        client.attempt(b, address, deadline, 0);
        return client.ready;
    }

    /** Blocking {@link #connect(Path, QmpClientOptions)}. */
    public static QmpClient open(Path socket, QmpClientOptions options) {
        return Futures.await(connect(socket, options));
    }

    private void attempt(Bootstrap b, SocketAddress address, long deadline, int n) {
        b.connect(address).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                return;
            }
            if (System.nanoTime() < deadline && !closeRequested) {
                long delayMs = Math.min(100, 5L << Math.min(n, 5));
                LOG.debug("[{}] connect to {} failed ({}), retrying in {} ms", label, address, f.cause(), delayMs);
                io.group().schedule(() -> attempt(b, address, deadline, n + 1), delayMs, TimeUnit.MILLISECONDS);
                return;
            }
            QmpConnectException e = new QmpConnectException("cannot connect to QMP at " + address + " within "
                    + options.connectTimeout().toMillis() + " ms (" + (n + 1) + " attempts): " + f.cause(),
                    f.cause());
            failReady(e);
            Futures.failAsync(options.completionExecutor(), closeFuture, e);
            releaseResources();
        });
    }

    /** Listener path: the client for an accepted channel (shares the listener's I/O resources). */
    static QmpClient forAccepted(QmpClientOptions options, IoResources io) {
        return new QmpClient(options, io.retain());
    }

    CompletableFuture<QmpClient> readyFuture() {
        return ready;
    }

    // ---------------------------------------------------------------- I/O thread callbacks

    void onActive(Channel ch) {
        this.channel = ch;
        LOG.debug("[{}] connected {}", label, ch);
        Duration hs = options.handshakeTimeout();
        ch.eventLoop().schedule(() -> {
            if (!readyDone.get()) {
                failHandshake(new QmpGreetingException("no QMP greeting/negotiation within " + hs.toMillis()
                        + " ms" + (greetingSeen ? " (greeting received, qmp_capabilities unanswered)" : "")));
            }
        }, hs.toNanos(), TimeUnit.NANOSECONDS);
        if (closeRequested) {
            ch.close();
        }
    }

    void onMessage(JsonNode msg) {
        if (msg.has("event")) {
            onEvent(msg);
            return;
        }
        if (!greetingSeen) {
            greetingSeen = true;
            try {
                negotiate(QmpGreeting.parse(msg));
            } catch (QmpGreetingException e) {
                failHandshake(e);
            }
            return;
        }
        if (msg.has("return") || msg.has("error")) {
            onReply(msg);
        } else if (msg.has("QMP")) {
            LOG.warn("[{}] unexpected second QMP greeting dropped", label);
        } else {
            malformed.incrementAndGet();
            LOG.warn("[{}] unrecognised QMP message dropped: {}", label, QmpGreeting.abbreviate(msg));
        }
    }

    private void onReply(JsonNode msg) {
        JsonNode idNode = msg.get("id");
        if (idNode == null) {
            unknownReplies.incrementAndGet();
            LOG.warn("[{}] reply without id dropped: {}", label, QmpGreeting.abbreviate(msg));
            return;
        }
        String id = idNode.asText();
        PendingCommand p = pending.remove(id);
        if (p == null) {
            if (timedOut.remove(id)) {
                LOG.debug("[{}] late reply for timed-out command id {} dropped", label, id);
            } else {
                unknownReplies.incrementAndGet();
                LOG.warn("[{}] reply with unknown id {} dropped", label, idNode);
            }
            return;
        }
        p.cancelTimer();
        JsonNode err = msg.get("error");
        if (err != null) {
            Futures.failAsync(options.completionExecutor(), p.future, new QmpErrorException(
                    err.path("class").asText("GenericError"), err.path("desc").asText(""), p.command, p.arguments));
        } else {
            Futures.completeAsync(options.completionExecutor(), p.future, msg.get("return"));
        }
    }

    private void onEvent(JsonNode msg) {
        QmpEvent ev;
        try {
            ev = QmpEvent.parse(msg);
        } catch (RuntimeException e) {
            malformed.incrementAndGet();
            LOG.warn("[{}] malformed event dropped: {}", label, QmpGreeting.abbreviate(msg));
            return;
        }
        if ("COMMAND_DROPPED".equals(ev.name())) {
            PendingCommand p = pending.remove(ev.dataText("id") == null ? "" : ev.dataText("id"));
            if (p != null) {
                p.cancelTimer();
                Futures.failAsync(options.completionExecutor(), p.future, new QmpException(p.command
                        + ": QEMU dropped the command (" + ev.dataText("reason") + ")"));
            }
        }
        for (EventWaiter w : waiters) {
            if (w.offer(ev)) {
                waiters.remove(w);
            }
        }
        events.dispatch(ev);
    }

    void onMalformed(ByteBuf line, Exception e) {
        long n = malformed.incrementAndGet();
        String text = line.toString(line.readerIndex(), Math.min(line.readableBytes(), 200), StandardCharsets.UTF_8);
        LOG.warn("[{}] malformed QMP line dropped (#{}): {}{}", label, n, text, e == null ? "" : " - " + firstLine(e));
        if (!greetingSeen) {
            greetingSeen = true;
            failHandshake(new QmpGreetingException("malformed QMP greeting: " + text, e));
        }
    }

    private static String firstLine(Exception e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                : String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    void onTooLong(Throwable cause) {
        malformed.incrementAndGet();
        LOG.warn("[{}] QMP line longer than {} bytes discarded: {}", label, options.maxLineLength(),
                cause.getMessage());
    }

    void onError(Throwable cause) {
        LOG.debug("[{}] channel error", label, cause);
        lastError = cause;
    }

    void onInactive() {
        closed = true;
        boolean normal = closeRequested || quitSent;
        Throwable cause = lastError;
        String why = closeRequested ? "client closed" : quitSent ? "QEMU quit" : "connection lost";
        LOG.debug("[{}] disconnected: {}", label, why);
        for (String id : pending.keySet()) {
            failPending(id, cause, why);
        }
        QmpDisconnectedException dis = new QmpDisconnectedException(why, cause);
        for (EventWaiter w : waiters) {
            w.fail(dis);
        }
        waiters.clear();
        failReady(new QmpGreetingException("connection closed before the QMP session was negotiated", cause));
        if (normal) {
            Futures.completeAsync(options.completionExecutor(), closeFuture, null);
        } else {
            Futures.failAsync(options.completionExecutor(), closeFuture, dis);
        }
        releaseResources();
    }

    private void failPending(String id, Throwable cause, String why) {
        PendingCommand p = pending.remove(id);
        if (p == null) {
            return;
        }
        p.cancelTimer();
        if (p.quit) {
            Futures.completeAsync(options.completionExecutor(), p.future, QmpJson.object());
        } else {
            Futures.failAsync(options.completionExecutor(), p.future,
                    new QmpDisconnectedException(why, p.command, cause));
        }
    }

    private void releaseResources() {
        if (released.compareAndSet(false, true)) {
            events.shutdown();
            io.release();
        }
    }

    // ---------------------------------------------------------------- handshake

    private void negotiate(QmpGreeting offered) {
        greeting = offered;
        List<String> enable = options.enableOob() && offered.oobOffered() ? List.of("oob") : List.of();
        ObjectNode args = null;
        if (!enable.isEmpty()) {
            args = QmpJson.object();
            enable.forEach(args.putArray("enable")::add);
        }
        LOG.debug("[{}] greeting {}; enabling {}", label, offered, enable);
        send("qmp_capabilities", args, options.handshakeTimeout(), false).whenComplete((r, t) -> {
            if (t != null) {
                failHandshake(new QmpGreetingException("qmp_capabilities failed: " + t.getMessage(), t));
            } else {
                greeting = offered.withEnabled(enable);
                if (readyDone.compareAndSet(false, true)) {
                    ready.complete(this);
                }
            }
        });
    }

    private boolean failReady(Throwable e) {
        if (readyDone.compareAndSet(false, true)) {
            Futures.failAsync(options.completionExecutor(), ready, e);
            return true;
        }
        return false;
    }

    private void failHandshake(QmpException e) {
        if (failReady(e)) {
            LOG.debug("[{}] handshake failed", label, e);
            lastError = e;
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
        }
    }

    // ---------------------------------------------------------------- sending

    @Override
    public CompletableFuture<JsonNode> execute(String command, JsonNode arguments, Duration timeout) {
        return send(command, arguments, timeout, false);
    }

    @Override
    public CompletableFuture<JsonNode> executeOob(String command, JsonNode arguments, Duration timeout) {
        QmpGreeting g = greeting;
        if (g == null || !g.oobEnabled()) {
            return CompletableFuture.failedFuture(
                    new QmpException("exec-oob " + command + ": out-of-band execution was not negotiated"));
        }
        return send(command, arguments, timeout, true);
    }

    private CompletableFuture<JsonNode> send(String command, JsonNode arguments, Duration timeout, boolean oob) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("command name must not be blank");
        }
        if (arguments != null && !arguments.isObject() && !arguments.isNull()) {
            throw new IllegalArgumentException("arguments of " + command + " must be a JSON object");
        }
        Channel ch = channel;
        if (closed || closeRequested || ch == null) {
            return CompletableFuture.failedFuture(new QmpDisconnectedException(
                    closeRequested ? "client closed" : "not connected", command, lastError));
        }
        Duration to = timeout == null ? options.commandTimeout() : timeout;
        String id = idPrefix + ids.incrementAndGet();
        ObjectNode req = QmpJson.object();
        req.put(oob ? "exec-oob" : "execute", command);
        if (arguments != null && !arguments.isNull() && !arguments.isEmpty()) {
            req.set("arguments", arguments);
        }
        req.put("id", id);
        byte[] bytes;
        try {
            bytes = QmpJson.mapper().writeValueAsBytes(req);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new QmpException("cannot serialise " + command, e));
        }
        PendingCommand p = new PendingCommand(id, command, arguments, to);
        if (p.quit) {
            quitSent = true;
        }
        pending.put(id, p);
        if (closed) { // lost a race with onInactive, which may not have seen our entry
            failPending(id, lastError, closeRequested ? "client closed" : "connection lost");
            return p.future;
        }
        ByteBuf buf = Unpooled.wrappedBuffer(bytes, new byte[] {'\n'});
        ch.writeAndFlush(buf).addListener(f -> {
            if (!f.isSuccess()) {
                failPending(id, f.cause(), "write failed");
            }
        });
        if (!to.isZero()) {
            p.timer = ch.eventLoop().schedule(() -> onTimeout(id), to.toNanos(), TimeUnit.NANOSECONDS);
            if (p.future.isDone()) {
                p.cancelTimer();
            }
        }
        return p.future;
    }

    private void onTimeout(String id) {
        PendingCommand p = pending.remove(id);
        if (p == null) {
            return;
        }
        if (timedOut.size() >= MAX_REMEMBERED_TIMEOUTS) {
            timedOut.clear();
        }
        timedOut.add(id);
        LOG.debug("[{}] {} (id {}) timed out after {}", label, p.command, id, p.timeout);
        Futures.failAsync(options.completionExecutor(), p.future,
                new QmpTimeoutException(p.command + " got no reply", p.timeout));
    }

    // ---------------------------------------------------------------- events

    @Override
    public QmpSubscription subscribe(QmpEventListener listener) {
        return events.subscribe(null, listener);
    }

    @Override
    public QmpSubscription subscribe(String eventName, QmpEventListener listener) {
        return events.subscribe(java.util.Objects.requireNonNull(eventName, "eventName"), listener);
    }

    @Override
    public EventWaiter awaitEvent(String eventName, Predicate<QmpEvent> predicate, Duration timeout) {
        Duration to = timeout == null ? options.commandTimeout() : timeout;
        EventWaiter w = new EventWaiter(eventName, predicate, to, options.completionExecutor(), waiters::remove);
        Channel ch = channel;
        if (closed || ch == null) {
            w.fail(new QmpDisconnectedException("not connected", lastError));
            return w;
        }
        waiters.add(w);
        if (closed) {
            w.fail(new QmpDisconnectedException("connection lost", lastError));
            return w;
        }
        if (!to.isZero()) {
            java.util.concurrent.Future<?> timer = ch.eventLoop().schedule(
                    () -> w.fail(new QmpTimeoutException("no " + eventName + " event", to)), to.toNanos(),
                    TimeUnit.NANOSECONDS);
            w.future().whenComplete((e, t) -> timer.cancel(false));
        }
        return w;
    }

    @Override
    public long droppedEvents() {
        return events.dropped();
    }

    /** Replies dropped because their id matched no pending command (late replies after timeout excluded). */
    public long unknownReplies() {
        return unknownReplies.get();
    }

    /** Lines dropped because they were not valid JSON objects or exceeded the maximum line length. */
    public long malformedMessages() {
        return malformed.get();
    }

    /** Commands currently awaiting a reply. */
    public int pendingCount() {
        return pending.size();
    }

    // ---------------------------------------------------------------- misc

    @Override
    public QmpGreeting greeting() {
        return greeting;
    }

    @Override
    public CompletableFuture<QmpSchema> schema() {
        CompletableFuture<QmpSchema> s = schema;
        if (s == null || s.isCompletedExceptionally()) {
            synchronized (this) {
                s = schema;
                if (s == null || s.isCompletedExceptionally()) {
                    s = execute("query-qmp-schema").thenApply(QmpSchema::parse);
                    schema = s;
                }
            }
        }
        return s;
    }

    @Override
    public boolean isOpen() {
        return !closed && !closeRequested && channel != null;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public void close() {
        closeRequested = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
        boolean onIoThread = ch != null && ch.eventLoop().inEventLoop();
        if (!onIoThread && !events.isDispatchThread()) {
            try {
                closeFuture.handle((r, t) -> null).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.debug("[{}] close did not complete in time", label, e);
            }
            events.awaitTermination(5000);
            io.awaitTermination(5000);
        }
    }

    @Override
    public String toString() {
        return "QmpClient[" + label + (channel == null ? "" : " " + channel.remoteAddress()) + "]";
    }
}

package io.kvmj.qmp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.EOFException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
 * <p>Threads: one NIO I/O thread per connection (listener-accepted clients share the listener's) and one
 * event-dispatch thread, all named {@code kvmj-qmp-*} and stopped by {@link #close()}. The I/O thread only
 * frames, parses, routes replies by id and matches event waiters; futures returned by {@code execute} are
 * completed on the configured completion executor, so no user callback ever runs on the I/O thread. Blocking
 * {@code call}s are woken directly by the I/O thread (their future is never exposed).
 *
 * <pre>{@code
 * try (QmpClient qmp = QmpClient.connect(Path.of("/run/vm1/qmp.sock")).get(10, TimeUnit.SECONDS)) {
 *     StatusInfo s = qmp.call(new QueryStatus());                   // typed: {"running":true,"status":"running"}
 *     JsonNode blocks = qmp.call("query-block", null, Duration.ofSeconds(5));   // any command, raw JSON
 *     qmp.subscribe("SHUTDOWN", e -> System.out.println(e.data()));  // events off the I/O thread
 * }
 * }</pre>
 */
public final class QmpClient implements QmpMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(QmpClient.class);
    private static final AtomicLong CLIENT_SEQ = new AtomicLong();

    private final String label;
    private final String idPrefix;
    private final QmpClientOptions options;
    private final long spinNanos;
    /** Backs the blocking callers' spin off while it does not pay (a loaded machine). */
    private final SpinGovernor callerSpin;
    private final IoResources io;
    private final EventDispatcher events;
    private final PendingTable pending;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final CompletableFuture<QmpClient> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final StateCell state = new StateCell();
    private volatile CompletableFuture<QmpSchema> schema;
    private volatile Channel channel;
    private volatile DirectWriter writer;
    private volatile QmpGreeting greeting;
    private volatile Throwable lastError;
    /** Why the connection ended ("client closed", "QEMU quit", "connection lost"), set on the move to CLOSED. */
    private volatile String endReason;

    QmpClient(QmpClientOptions options, IoResources io) {
        long seq = CLIENT_SEQ.incrementAndGet();
        this.label = options.name() + "-" + seq;
        this.idPrefix = "k" + seq + ".";
        this.options = options;
        this.spinNanos = options.busyPoll().toNanos();
        this.callerSpin = new SpinGovernor(spinNanos);
        this.io = io;
        this.events = new EventDispatcher(label, options.eventQueueCapacity(), options.initialListeners());
        this.pending = new PendingTable(label, options.completionExecutor());
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
        IoResources io = IoResources.create(options.name(), options.busyPoll().toNanos());
        QmpClient client = new QmpClient(options, io);
        Connector.start(client, io, address, options);
        return client.ready;
    }

    /** Blocking {@link #connect(Path, QmpClientOptions)}. */
    public static QmpClient open(Path socket, QmpClientOptions options) {
        return Futures.await(connect(socket, options));
    }

    /** Listener path: the client for an accepted channel (shares the listener's I/O resources). */
    static QmpClient forAccepted(QmpClientOptions options, IoResources io) {
        return new QmpClient(options, io.retain());
    }

    CompletableFuture<QmpClient> readyFuture() {
        return ready;
    }

    boolean closeRequested() {
        QmpState s = state.get();
        return s == QmpState.CLOSING || s == QmpState.CLOSED;
    }

    /** The current state of the connection (see {@link QmpState} for the transitions). */
    public QmpState state() {
        return state.get();
    }

    /**
     * Moves to {@code to} if that is a legal step from the current state ({@link QmpState#canMoveTo}); returns the
     * state left, or null when the step is not allowed now (nothing changes). Leaving the pre-ready states for
     * anything but the next handshake step fails the ready future with {@code readyFailure}; this happens once.
     */
    private QmpState moveTo(QmpState to, QmpException readyFailure) {
        QmpState from = state.moveTo(to);
        if (from != null) {
            LOG.debug("[{}] {} -> {}", label, from, to);
        }
        if (from != null && from.beforeReady() && !to.beforeReady() && to != QmpState.READY) {
            Futures.failAsync(options.completionExecutor(), ready, readyFailure);
        }
        return from;
    }

    String label() {
        return label;
    }

    /** Connector path: every attempt failed. */
    void connectFailed(QmpConnectException e) {
        if (moveTo(QmpState.CLOSED, e) == null) {
            return;
        }
        endReason = "not connected";
        Futures.failAsync(options.completionExecutor(), closeFuture, e);
        releaseResources();
    }

    // ---------------------------------------------------------------- I/O thread callbacks

    void onActive(Channel ch) {
        this.writer = new DirectWriter(ch);
        this.channel = ch;
        LOG.debug("[{}] connected {}", label, ch);
        Duration hs = options.handshakeTimeout();
        ch.eventLoop().schedule(() -> {
            QmpState s = state.get();
            if (s.beforeReady()) {
                failHandshake(new QmpGreetingException("no QMP greeting/negotiation within " + hs.toMillis()
                        + " ms" + (s == QmpState.NEGOTIATING ? " (greeting received, qmp_capabilities unanswered)" : "")));
            }
        }, hs.toNanos(), TimeUnit.NANOSECONDS);
        if (moveTo(QmpState.GREETING, null) == null) {
            ch.close(); // closed while connecting
        }
    }

    void onMessage(JsonNode msg) {
        io.active();
        if (msg.has("event")) {
            onEvent(msg);
        } else if (state.get() == QmpState.GREETING) {
            QmpGreeting offered;
            try {
                offered = QmpGreeting.parse(msg);
            } catch (QmpGreetingException e) {
                failHandshake(e);
                return;
            }
            if (moveTo(QmpState.NEGOTIATING, null) != null) {
                negotiate(offered);
            }
        } else if (msg.has("error") && !msg.has("id")) {
            // QEMU could not parse a request (so it has no id to echo): QMP answers in order, so it is the oldest
            // in-band command still waiting; fail it now rather than let it time out
            pending.failOldestInBand(msg);
        } else if (msg.has("return") || msg.has("error")) {
            pending.route(msg);
        } else if (msg.has("QMP")) {
            LOG.warn("[{}] unexpected second QMP greeting dropped", label);
        } else {
            malformed.incrementAndGet();
            LOG.warn("[{}] unrecognised QMP message dropped: {}", label, QmpGreeting.abbreviate(msg));
        }
    }

    /** The end of one socket read: the futures its replies settled are completed (one hand-off). */
    void onReadComplete() {
        pending.flushReplies();
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
            pending.dropped(ev.dataText("id"), ev.dataText("reason"));
        }
        events.dispatch(ev);
    }

    void onMalformed(ByteBuf line, Exception e) {
        long n = malformed.incrementAndGet();
        String text = line.toString(line.readerIndex(), Math.min(line.readableBytes(), 200), StandardCharsets.UTF_8);
        LOG.warn("[{}] malformed QMP line dropped (#{}): {}{}", label, n, text, e == null ? "" : " - " + firstLine(e));
        if (state.get() == QmpState.GREETING) {
            failHandshake(new QmpGreetingException("malformed QMP greeting: " + text, e));
        }
    }

    private static String firstLine(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e.getMessage());
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
        Throwable cause0 = lastError;
        QmpState from = moveTo(QmpState.CLOSED,
                new QmpGreetingException("connection closed before the QMP session was negotiated", cause0));
        if (from == null) {
            return; // already closed
        }
        boolean requested = from == QmpState.CLOSING;
        boolean normal = requested || from == QmpState.QUITTING;
        String why = requested ? "client closed" : from == QmpState.QUITTING ? "QEMU quit" : "connection lost";
        endReason = why;
        Throwable cause = cause0 != null || requested ? cause0 : new EOFException("QEMU closed the QMP connection");
        LOG.debug("[{}] disconnected: {}", label, why);
        pending.disconnectAll(cause, why);
        QmpDisconnectedException dis = new QmpDisconnectedException(why, cause);
        events.failWaiters(dis);
        if (normal) {
            Futures.completeAsync(options.completionExecutor(), closeFuture, null);
        } else {
            Futures.failAsync(options.completionExecutor(), closeFuture, dis);
        }
        releaseResources();
    }

    /** Once: only the single move to CLOSED calls this. */
    private void releaseResources() {
        events.shutdown();
        io.release();
    }

    // ---------------------------------------------------------------- handshake

    private void negotiate(QmpGreeting offered) {
        greeting = offered;
        List<String> enable = offered.toEnable(options.enableOob());
        ObjectNode args = QmpGreeting.capabilitiesArguments(enable);
        LOG.debug("[{}] greeting {}; enabling {}", label, offered, enable);
        send("qmp_capabilities", args, options.handshakeTimeout(), false, false).whenComplete((r, t) -> {
            if (t != null) {
                failHandshake(new QmpGreetingException("qmp_capabilities failed: " + t.getMessage(), t));
            } else {
                greeting = offered.withEnabled(enable);
                if (moveTo(QmpState.READY, null) != null) {
                    ready.complete(this);
                }
            }
        });
    }

    private void failHandshake(QmpException e) {
        if (moveTo(QmpState.FAILED, e) != null) {
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
        return send(command, arguments, timeout, false, false);
    }

    @Override
    public CompletableFuture<JsonNode> executeOob(String command, JsonNode arguments, Duration timeout) {
        QmpGreeting g = greeting;
        if (g == null || !g.oobEnabled()) {
            return CompletableFuture.failedFuture(
                    new QmpException("exec-oob " + command + ": out-of-band execution was not negotiated"));
        }
        return send(command, arguments, timeout, true, false);
    }

    /**
     * Blocking call: the command is written on this thread, the I/O thread completes the reply directly, and this
     * thread polls for it for up to {@link QmpClientOptions#busyPoll()} before parking (unless recent polls did not
     * pay: see {@link SpinGovernor}); the timeout is kept here.
     *
     * @throws IllegalStateException if called on this client's I/O thread (it would deadlock)
     */
    @Override
    public JsonNode call(String command, JsonNode arguments, Duration timeout) {
        Channel ch = channel;
        if (ch != null && ch.eventLoop().inEventLoop()) {
            throw new IllegalStateException("blocking QMP call on the client's I/O thread would deadlock");
        }
        Duration to = timeout == null ? options.commandTimeout() : timeout;
        PendingCommand p = submit(command, arguments, to, false, true);
        return Futures.await(p.future, spinNanos, callerSpin, to, () -> pending.timeout(p.id));
    }

    private CompletableFuture<JsonNode> send(String command, JsonNode arguments, Duration timeout, boolean oob,
            boolean direct) {
        return submit(command, arguments, timeout, oob, direct).future;
    }

    /** Registers and writes one command; the returned entry's future may already have failed. */
    private PendingCommand submit(String command, JsonNode arguments, Duration timeout, boolean oob,
            boolean direct) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("command name must not be blank");
        }
        if (arguments != null && !arguments.isObject() && !arguments.isNull()) {
            throw new IllegalArgumentException("arguments of " + command + " must be a JSON object");
        }
        Channel ch = channel;
        DirectWriter writer = this.writer;
        QmpState st = state.get();
        if (!st.acceptsCommands() || ch == null || writer == null) {
            return PendingCommand.failed(command, arguments, QmpStateException.refused(st, command, endReason, lastError));
        }
        Duration to = timeout == null ? options.commandTimeout() : timeout;
        long seq = ids.incrementAndGet();
        String id = idPrefix + seq;
        byte[] bytes;
        try {
            bytes = QmpJson.request(command, arguments, id, oob);
        } catch (QmpException e) {
            return PendingCommand.failed(command, arguments, e);
        }
        PendingCommand p = new PendingCommand(id, seq, command, arguments, to, direct, oob);
        if (p.quit) {
            moveTo(QmpState.QUITTING, null);
        }
        pending.put(p);
        if (state.get() == QmpState.CLOSED) { // lost a race with onInactive, which may not have seen our entry
            String why = endReason;
            pending.disconnect(id, lastError, why == null ? "connection lost" : why);
            return p;
        }
        if (!direct && !to.isZero()) {
            // a blocking call enforces its own deadline; only futures get a timer on the I/O thread
            try {
                p.timer = ch.eventLoop().schedule(() -> pending.timeout(id), to.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                pending.disconnect(id, e, "connection lost");
                return p;
            }
        }
        writer.write(bytes, e -> pending.disconnect(id, e, "write failed"));
        return p;
    }

    // ---------------------------------------------------------------- events

    @Override
    public QmpSubscription subscribe(QmpEventListener listener) {
        return events.subscribe(null, listener);
    }

    @Override
    public QmpSubscription subscribe(String eventName, QmpEventListener listener) {
        return events.subscribe(Objects.requireNonNull(eventName, "eventName"), listener);
    }

    @Override
    public EventWaiter awaitEvent(String eventName, Predicate<QmpEvent> predicate, Duration timeout) {
        Duration to = timeout == null ? options.commandTimeout() : timeout;
        EventWaiter w = new EventWaiter(eventName, predicate, to, options.completionExecutor(),
                events::removeWaiter);
        Channel ch = channel;
        if (state.get() == QmpState.CLOSED || ch == null) {
            w.fail(QmpStateException.refused(state.get(), null, endReason, lastError));
            return w;
        }
        events.addWaiter(w);
        if (state.get() == QmpState.CLOSED) {
            w.fail(new QmpDisconnectedException("connection lost", lastError));
            return w;
        }
        if (!to.isZero()) {
            try {
                java.util.concurrent.Future<?> timer = ch.eventLoop().schedule(
                        () -> w.fail(new QmpTimeoutException("no " + eventName + " event", to)), to.toNanos(),
                        TimeUnit.NANOSECONDS);
                w.future().whenComplete((e, t) -> timer.cancel(false));
            } catch (RejectedExecutionException e) {
                w.fail(new QmpDisconnectedException("connection lost", e));
            }
        }
        return w;
    }

    @Override
    public long droppedEvents() {
        return events.dropped();
    }

    /** Replies dropped because their id matched no pending command (late replies after timeout excluded). */
    public long unknownReplies() {
        return pending.unknownReplies();
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
        QmpState s = state.get();
        return s != QmpState.CLOSING && s != QmpState.CLOSED && s != QmpState.FAILED && channel != null;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    /**
     * Closes the connection; pending commands fail with {@link QmpDisconnectedException}. Waits (at most a few
     * seconds) until the connection and this client's threads are gone, except when called from the I/O or event
     * thread, where it only initiates the close. Idempotent.
     */
    @Override
    public void close() {
        moveTo(QmpState.CLOSING, new QmpGreetingException("client closed before the QMP session was negotiated"));
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
        if (!io.inEventLoop() && !events.isDispatchThread()) {
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
        Channel ch = channel;
        return "QmpClient[" + label + (ch == null ? "" : " " + ch.remoteAddress()) + "]";
    }
}

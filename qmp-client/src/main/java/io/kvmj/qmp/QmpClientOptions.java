package io.kvmj.qmp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Settings of a {@link QmpClient} / {@link QmpListener}. Build with {@link #builder()}; {@link #defaults()} gives
 * the defaults listed on each builder method.
 *
 * @param commandTimeout      default per-command timeout; {@link Duration#ZERO} disables it
 * @param handshakeTimeout    time allowed from connection to a negotiated session (greeting + qmp_capabilities)
 * @param connectTimeout      how long {@code connect} keeps retrying while the socket is missing or refusing
 * @param maxLineLength       maximum length of one QMP message line in bytes
 * @param eventQueueCapacity  capacity of the bounded queue between the I/O thread and event listeners
 * @param enableOob           negotiate the {@code oob} capability when QEMU offers it
 * @param completionExecutor  where command futures and event waiters are completed (never the I/O thread unless
 *                            you pass a direct executor such as {@code Runnable::run})
 * @param initialListeners    event listeners registered before the greeting arrives (see events before greeting)
 * @param name                label used in thread names and log messages
 * @param busyPoll            how long the client polls for replies instead of sleeping (see the builder)
 */
public record QmpClientOptions(Duration commandTimeout, Duration handshakeTimeout, Duration connectTimeout,
        int maxLineLength, int eventQueueCapacity, boolean enableOob, Executor completionExecutor,
        List<QmpEventListener> initialListeners, String name, Duration busyPoll) {

    /** Default maximum line length: 64 MiB (QEMU replies such as query-qmp-schema are large). */
    public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024 * 1024;
    /** Default {@link #busyPoll()}: 1 ms, a few QMP round trips. */
    public static final Duration DEFAULT_BUSY_POLL = Duration.ofMillis(1);
    /** Upper bound of {@link #busyPoll()}: polling longer only burns a CPU. */
    public static final Duration MAX_BUSY_POLL = Duration.ofMillis(100);

    public QmpClientOptions {
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(completionExecutor, "completionExecutor");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(busyPoll, "busyPoll");
        if (busyPoll.isNegative() || busyPoll.compareTo(MAX_BUSY_POLL) > 0) {
            throw new IllegalArgumentException("busyPoll must be between 0 and " + MAX_BUSY_POLL.toMillis()
                    + " ms, got " + busyPoll);
        }
        if (commandTimeout.isNegative() || handshakeTimeout.isNegative() || handshakeTimeout.isZero()
                || connectTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive (commandTimeout may be zero = none)");
        }
        if (maxLineLength < 1024) {
            throw new IllegalArgumentException("maxLineLength must be >= 1024, got " + maxLineLength);
        }
        if (eventQueueCapacity < 1) {
            throw new IllegalArgumentException("eventQueueCapacity must be >= 1, got " + eventQueueCapacity);
        }
        initialListeners = List.copyOf(initialListeners);
    }

    /** The defaults. */
    public static QmpClientOptions defaults() {
        return builder().build();
    }

    /** A builder preset with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.commandTimeout = commandTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.connectTimeout = connectTimeout;
        b.maxLineLength = maxLineLength;
        b.eventQueueCapacity = eventQueueCapacity;
        b.enableOob = enableOob;
        b.completionExecutor = completionExecutor;
        b.initialListeners.addAll(initialListeners);
        b.name = name;
        b.busyPoll = busyPoll;
        return b;
    }

    /** Builder of {@link QmpClientOptions}. */
    public static final class Builder {
        private Duration commandTimeout = Duration.ofSeconds(30);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int maxLineLength = DEFAULT_MAX_LINE_LENGTH;
        private int eventQueueCapacity = 10_000;
        private boolean enableOob = true;
        private Executor completionExecutor = ForkJoinPool.commonPool();
        private final List<QmpEventListener> initialListeners = new ArrayList<>();
        private String name = "qmp";
        private Duration busyPoll = DEFAULT_BUSY_POLL;

        private Builder() {
        }

        /** Default per-command timeout (default 30 s; zero = wait forever). */
        public Builder commandTimeout(Duration d) {
            this.commandTimeout = d;
            return this;
        }

        /** Greeting + capabilities negotiation timeout (default 10 s). */
        public Builder handshakeTimeout(Duration d) {
            this.handshakeTimeout = d;
            return this;
        }

        /** Connect retry window while the socket does not exist yet or refuses (default 10 s). */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        /** Maximum bytes in one QMP line (default 64 MiB). */
        public Builder maxLineLength(int bytes) {
            this.maxLineLength = bytes;
            return this;
        }

        /** Capacity of the event listener queue (default 10,000); overflow drops the newest event, counted. */
        public Builder eventQueueCapacity(int capacity) {
            this.eventQueueCapacity = capacity;
            return this;
        }

        /** Enable the {@code oob} capability when offered (default true). */
        public Builder enableOob(boolean enable) {
            this.enableOob = enable;
            return this;
        }

        /**
         * Executor completing command futures and event waiters (default {@link ForkJoinPool#commonPool()}, where
         * blocking {@code get()} inside callbacks is compensated). {@code Runnable::run} completes directly on the
         * I/O thread: lowest latency, but then callbacks attached with non-async methods must never block.
         */
        public Builder completionExecutor(Executor executor) {
            this.completionExecutor = executor;
            return this;
        }

        /** Adds a listener registered before the greeting, so even events sent before it are seen. */
        public Builder eventListener(QmpEventListener listener) {
            this.initialListeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /** Label for thread names and logs (default {@code qmp}). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * How long the client polls for QMP replies instead of sleeping (default 1 ms, at most 100 ms; zero turns
         * polling off). A blocking {@code call} checks for its reply this long before parking, and the I/O thread
         * keeps polling the socket this long after each message before it sleeps in {@code epoll_wait}. Within a
         * burst of commands a reply is then seen without waking a thread up, which is a large part of the latency
         * of a short command. Both loops yield the CPU ({@link Thread#yield()}) on every turn, so QEMU is not kept
         * from running, and cost at most this much CPU time per message, only while the CPU is otherwise idle.
         * Off on a single CPU.
         */
        public Builder busyPoll(Duration d) {
            this.busyPoll = d;
            return this;
        }

        public QmpClientOptions build() {
            return new QmpClientOptions(commandTimeout, handshakeTimeout, connectTimeout, maxLineLength,
                    eventQueueCapacity, enableOob, completionExecutor, initialListeners, name, busyPoll);
        }
    }
}

package io.kvmj.qmp;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A one-shot wait for an event, <em>armed when created</em>: create it before sending the command that causes
 * the event, then {@link #await()} after the command returns. An event that arrives between arming and
 * {@code await()} (even before the command's reply) is kept. Waiters are matched on the I/O thread, ahead of the
 * bounded listener queue, so they never lose events to queue overflow; the predicate must therefore be cheap and
 * non-blocking. {@link #close()} disarms it.
 */
public final class EventWaiter implements AutoCloseable {
    private final String eventName;
    private final Predicate<QmpEvent> predicate;
    private final Duration timeout;
    private final CompletableFuture<QmpEvent> future = new CompletableFuture<>();
    private final AtomicBoolean done = new AtomicBoolean();
    private final Executor completion;
    private final Consumer<EventWaiter> onDone;

    EventWaiter(String eventName, Predicate<QmpEvent> predicate, Duration timeout, Executor completion,
            Consumer<EventWaiter> onDone) {
        this.eventName = java.util.Objects.requireNonNull(eventName, "eventName");
        this.predicate = predicate == null ? e -> true : predicate;
        this.timeout = timeout;
        this.completion = completion;
        this.onDone = onDone;
    }

    /** The awaited event name. */
    public String eventName() {
        return eventName;
    }

    /** The timeout, counted from arming. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Completes with the first matching event, or exceptionally with {@link QmpTimeoutException} or
     * {@link QmpDisconnectedException}.
     */
    public CompletableFuture<QmpEvent> future() {
        return future;
    }

    /**
     * Blocks until the event arrives (or the waiter's timeout, counted from arming, elapses).
     *
     * @throws QmpTimeoutException      no matching event in time
     * @throws QmpDisconnectedException the connection closed first
     */
    public QmpEvent await() {
        return Futures.await(future);
    }

    /** True once matched, failed or closed. */
    public boolean isDone() {
        return future.isDone();
    }

    /** Disarms the waiter; a not yet completed future is cancelled. Idempotent. */
    @Override
    public void close() {
        if (done.compareAndSet(false, true)) {
            onDone.accept(this);
            future.cancel(false);
        }
    }

    /** I/O thread: returns true if this waiter is finished (matched now or earlier) and can be removed. */
    boolean offer(QmpEvent event) {
        if (done.get()) {
            return true;
        }
        if (!eventName.equals(event.name())) {
            return false;
        }
        boolean match;
        try {
            match = predicate.test(event);
        } catch (RuntimeException e) {
            fail(e);
            return true;
        }
        if (match && done.compareAndSet(false, true)) {
            onDone.accept(this);
            Futures.completeAsync(completion, future, event);
            return true;
        }
        return done.get();
    }

    void fail(Throwable t) {
        if (done.compareAndSet(false, true)) {
            onDone.accept(this);
            Futures.failAsync(completion, future, t);
        }
    }
}

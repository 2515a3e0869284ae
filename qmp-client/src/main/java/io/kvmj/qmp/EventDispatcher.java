package io.kvmj.qmp;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes events: first to armed {@link EventWaiter}s (matched on the I/O thread, so overflow can never lose an
 * event a waiter is armed for), then to listeners on one dedicated thread through a bounded queue. The I/O thread only ever
 * {@code offer}s: when the queue is full the event is dropped for listeners and counted (drop-newest policy);
 * it never blocks and so never delays command replies. Event waiters are matched on the I/O thread before this
 * queue, so they cannot lose an event to overflow.
 */
final class EventDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private record Registration(String eventName, QmpEventListener listener) {
    }

    private final List<Registration> listeners = new CopyOnWriteArrayList<>();
    private final List<EventWaiter> waiters = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final ThreadPoolExecutor executor;
    private final String label;

    EventDispatcher(String label, int capacity, List<QmpEventListener> initial) {
        this.label = label;
        initial.forEach(l -> listeners.add(new Registration(null, l)));
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                r -> {
                    Thread t = new Thread(r, IoResources.THREAD_PREFIX + "events-" + label);
                    t.setDaemon(true);
                    return t;
                }, (r, ex) -> {
                    if (!ex.isShutdown()) {
                        long n = dropped.incrementAndGet();
                        if (n == 1 || n % 1000 == 0) {
                            LOG.warn("[{}] event queue full ({} slots): {} event(s) dropped for listeners so far",
                                    label, capacity, n);
                        }
                    }
                });
    }

    QmpSubscription subscribe(String eventName, QmpEventListener listener) {
        Registration r = new Registration(eventName, java.util.Objects.requireNonNull(listener, "listener"));
        listeners.add(r);
        return () -> listeners.remove(r);
    }

    void addWaiter(EventWaiter w) {
        waiters.add(w);
    }

    void removeWaiter(EventWaiter w) {
        waiters.remove(w);
    }

    void failWaiters(Throwable t) {
        for (EventWaiter w : waiters) {
            w.fail(t);
        }
        waiters.clear();
    }

    /** Called on the I/O thread; never blocks. */
    void dispatch(QmpEvent event) {
        for (EventWaiter w : waiters) {
            if (w.offer(event)) {
                waiters.remove(w);
            }
        }
        if (listeners.isEmpty()) {
            return;
        }
        executor.execute(() -> deliver(event));
    }

    private void deliver(QmpEvent event) {
        for (Registration r : listeners) {
            if (r.eventName == null || r.eventName.equals(event.name())) {
                try {
                    r.listener.onEvent(event);
                } catch (Throwable t) {
                    LOG.warn("[{}] event listener failed on {}", label, event.name(), t);
                }
            }
        }
    }

    long dropped() {
        return dropped.get();
    }

    boolean isDispatchThread() {
        return Thread.currentThread().getName().equals(IoResources.THREAD_PREFIX + "events-" + label);
    }

    /** Lets queued events drain, then stops the thread. */
    void shutdown() {
        executor.shutdown();
    }

    void awaitTermination(long millis) {
        if (isDispatchThread()) {
            return;
        }
        try {
            executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

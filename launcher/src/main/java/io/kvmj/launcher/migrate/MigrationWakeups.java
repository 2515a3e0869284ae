package io.kvmj.launcher.migrate;

import io.kvmj.qmp.QmpMonitor;
import io.kvmj.qmp.QmpSubscription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes a waiting migration loop when QEMU reports a step: the {@code MIGRATION} event (each status change) and
 * {@code MIGRATION_PASS} (each dirty-bitmap sync, so the end of the first pass), both sent once the {@code events}
 * migration capability is on ({@link MigrationDriver#setCapabilities}). The loop still reads {@code query-migrate}
 * for the figures; the events only end its wait early, so a completed or failed migration, the {@code pre-switchover}
 * pause and the point to switch to post-copy are seen when QEMU reaches them instead of at the next poll.
 *
 * <pre>{@code
 * try (MigrationWakeups wake = MigrationWakeups.on(qmp, "MIGRATION", "MIGRATION_PASS")) {
 *     qmp.call("migrate", args, timeout);
 *     while (!done(qmp.call("query-migrate", null, timeout))) {
 *         wake.await(Duration.ofMillis(250));   // returns at the next event, or after 250 ms
 *     }
 * }
 * }</pre>
 *
 * <p>Subscribe before sending the command whose events are awaited. Events that arrive while the loop is busy are
 * not lost: the next {@link #await} returns at once.
 */
final class MigrationWakeups implements AutoCloseable {
    private final Semaphore signals = new Semaphore(0);
    private final List<QmpSubscription> subscriptions;

    private MigrationWakeups(QmpMonitor qmp, List<String> events) {
        this.subscriptions = events.stream().map(name -> qmp.subscribe(name, e -> signals.release())).toList();
    }

    /** Subscribes to {@code events} on {@code qmp}. */
    static MigrationWakeups on(QmpMonitor qmp, String... events) {
        return new MigrationWakeups(qmp, List.of(events));
    }

    /**
     * Waits until one of the events arrived since the last call, or {@code max} passed.
     *
     * @return whether an event ended the wait
     * @throws MigrationException when the thread is interrupted (its interrupt flag is kept)
     */
    boolean await(Duration max) {
        try {
            boolean woken = signals.tryAcquire(max.toNanos(), TimeUnit.NANOSECONDS);
            signals.drainPermits();
            return woken;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted", true, e);
        }
    }

    @Override
    public void close() {
        subscriptions.forEach(QmpSubscription::close);
    }
}

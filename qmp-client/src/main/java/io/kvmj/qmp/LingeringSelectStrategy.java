package io.kvmj.qmp;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;

/**
 * The I/O thread's select strategy: for a short while after it handled a QMP message it polls the socket
 * ({@code selectNow}, yielding the CPU between polls) instead of sleeping in {@code epoll_wait}, so the reply to
 * the next command of a burst is read without waking the thread up. When the linger time passes without traffic
 * the thread sleeps as usual. Zero linger, or a single CPU, never polls.
 */
final class LingeringSelectStrategy implements SelectStrategy {
    private final long lingerNanos;
    /** Backs lingering off while lingers end without traffic (see {@link SpinGovernor}); I/O thread only. */
    private final SpinGovernor governor;
    /** Polling until this time; written and read on the I/O thread only. */
    private long pollUntil = System.nanoTime();
    /** True while a linger is under way and has not yet seen traffic. */
    private boolean lingering;

    LingeringSelectStrategy(long lingerNanos) {
        this.lingerNanos = Runtime.getRuntime().availableProcessors() > 1 ? lingerNanos : 0;
        this.governor = new SpinGovernor(this.lingerNanos);
    }

    /** I/O thread: a message was handled; keep polling for the linger time (unless lingering does not pay). */
    void active() {
        if (lingerNanos > 0) {
            if (lingering) {
                governor.spun(true);
            }
            long budget = governor.budget();
            lingering = budget > 0;
            pollUntil = System.nanoTime() + budget;
        }
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectNow.get();
        }
        if (System.nanoTime() - pollUntil < 0) {
            int ready = selectNow.get();
            if (ready == 0) {
                Thread.yield();
            }
            return ready;
        }
        if (lingering) {
            lingering = false;
            governor.spun(false);   // the linger ran out before the next message
        }
        return SelectStrategy.SELECT;
    }
}

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
    /** Polling until this time; written and read on the I/O thread only. */
    private long pollUntil = System.nanoTime();

    LingeringSelectStrategy(long lingerNanos) {
        this.lingerNanos = Runtime.getRuntime().availableProcessors() > 1 ? lingerNanos : 0;
    }

    /** I/O thread: a message was handled; keep polling for the linger time. */
    void active() {
        if (lingerNanos > 0) {
            pollUntil = System.nanoTime() + lingerNanos;
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
        return SelectStrategy.SELECT;
    }
}

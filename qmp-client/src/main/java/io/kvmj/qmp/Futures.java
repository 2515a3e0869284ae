package io.kvmj.qmp;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.time.Duration;

/** Completion helpers: complete off the I/O thread, unwrap for blocking callers. */
final class Futures {
    private Futures() {
    }

    static <T> void completeAsync(Executor ex, CompletableFuture<T> f, T value) {
        try {
            ex.execute(() -> f.complete(value));
        } catch (RejectedExecutionException e) {
            f.complete(value);
        }
    }

    static void failAsync(Executor ex, CompletableFuture<?> f, Throwable t) {
        try {
            ex.execute(() -> f.completeExceptionally(t));
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(t);
        }
    }

    /** Whether spinning can help: with one CPU the spinner would only delay the thread it waits for. */
    private static final boolean MULTI_CPU = Runtime.getRuntime().availableProcessors() > 1;

    /**
     * {@link #await(CompletableFuture)} after busy-waiting (yielding) up to {@code spinNanos} for the future to
     * complete: a completion seen while spinning costs no park/unpark (a futex wake-up and a reschedule of this
     * thread).
     */
    static <T> T await(CompletableFuture<T> f, long spinNanos) {
        return await(f, spinNanos, Duration.ZERO, () -> { });
    }

    /**
     * Like {@link #await(CompletableFuture, long)} with a deadline enforced by the waiting thread: when
     * {@code timeout} (not zero) passes, or the wait is interrupted, {@code expire} runs, which must settle
     * {@code f} (fail it with a timeout, unless the reply won the race).
     */
    static <T> T await(CompletableFuture<T> f, long spinNanos, Duration timeout, Runnable expire) {
        return await(f, spinNanos, null, timeout, expire);
    }

    /**
     * Like {@link #await(CompletableFuture, long, Duration, Runnable)}, the spin budget taken from
     * {@code governor} (when not null) and the spin's outcome reported back to it.
     */
    static <T> T await(CompletableFuture<T> f, long spinNanos, SpinGovernor governor, Duration timeout,
            Runnable expire) {
        long budget = governor == null ? spinNanos : governor.budget();
        if (budget > 0 && MULTI_CPU && !f.isDone()) {
            // yield rather than pause: a thread the caller's CPU is needed for (QEMU, the I/O thread) runs at
            // once, and with nothing else runnable the yield returns at once and the caller checks again
            long start = System.nanoTime();
            while (!f.isDone() && System.nanoTime() - start < budget) {
                Thread.yield();
            }
            if (governor != null) {
                governor.spun(f.isDone());
            }
        }
        if (!timeout.isZero() && !f.isDone()) {
            try {
                f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                expire.run();
            } catch (InterruptedException e) {
                expire.run();
                Thread.currentThread().interrupt();
                throw new QmpException("interrupted while waiting for QMP", e);
            } catch (ExecutionException | CancellationException e) {
                // reported by await below
            }
        }
        return await(f);
    }

    /** Waits for a future whose completion is bounded elsewhere; rethrows QMP failures unwrapped. */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while waiting for QMP", e);
        } catch (ExecutionException | CompletionException e) {
            throw unwrap(e.getCause());
        } catch (CancellationException e) {
            throw new QmpException("cancelled", e);
        }
    }

    static RuntimeException unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new QmpException(String.valueOf(t), t);
    }
}

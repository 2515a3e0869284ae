package io.kvmj.qmp;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

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
     * {@link #await(CompletableFuture)} after busy-waiting up to {@code spinNanos} for the future to complete: a
     * completion seen while spinning costs no park/unpark (a futex wake-up and a reschedule of this thread).
     */
    static <T> T await(CompletableFuture<T> f, long spinNanos) {
        if (spinNanos > 0 && MULTI_CPU && !f.isDone()) {
            long start = System.nanoTime();
            int spins = 0;
            while (!f.isDone()) {
                Thread.onSpinWait();
                if ((++spins & 0x3f) == 0 && System.nanoTime() - start >= spinNanos) {
                    break;
                }
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

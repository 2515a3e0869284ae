package io.kvmj.launcher.process;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts processes from one dedicated, never-ending daemon thread.
 *
 * <p>Linux delivers the parent-death signal ({@code PR_SET_PDEATHSIG}) when the <em>thread</em> that forked
 * the child exits, not when the process exits. A process started from a short-lived thread (an executor
 * worker that times out, a test thread, a picocli worker) would therefore be killed as soon as that thread
 * ends. All QEMU processes are started here, on a thread that only ends with the JVM. The thread catches
 * every throwable so it can never die early.
 */
public final class ProcessSpawner {
    private static final LinkedBlockingQueue<Runnable> QUEUE = new LinkedBlockingQueue<>();
    private static final Thread THREAD = new Thread(ProcessSpawner::loop, "kvmj-process-spawner");

    static {
        THREAD.setDaemon(true);
        THREAD.start();
    }

    private ProcessSpawner() {}

    /** Starts {@code pb} on the spawner thread; waits at most {@code timeout} for {@code start()} to return. */
    public static Process start(ProcessBuilder pb, Duration timeout) throws IOException {
        CompletableFuture<Process> f = new CompletableFuture<>();
        QUEUE.add(() -> {
            try {
                f.complete(pb.start());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot start " + pb.command().get(0) + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("process start did not return within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting a process", e);
        }
    }

    private static void loop() {
        while (true) {
            try {
                QUEUE.take().run();
            } catch (Throwable ignored) {
                // never let this thread die: its death would SIGKILL every QEMU it started
            }
        }
    }
}

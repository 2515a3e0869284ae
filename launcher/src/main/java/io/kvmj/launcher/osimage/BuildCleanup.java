package io.kvmj.launcher.osimage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Undo actions of one build (unmount, detach loop devices, delete temporary files and the partial output), run in
 * reverse order when the build ends, fails, or the JVM is asked to exit (Ctrl-C, SIGTERM). A shutdown hook
 * interrupts the building thread, which kills the running tool and unwinds through {@link #close()}; the hook
 * waits for that so the JVM does not exit with a mount or loop device left behind.
 */
final class BuildCleanup implements AutoCloseable {
    /** One undo step. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private static final Duration HOOK_WAIT = Duration.ofSeconds(60);

    private final Deque<Action> actions = new ArrayDeque<>();
    private final Thread owner = Thread.currentThread();
    private final Thread hook;
    private final List<String> problems = new ArrayList<>();
    private volatile boolean closed;

    BuildCleanup() {
        hook = new Thread(this::onShutdown, "kvmj-img-build-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Registers {@code action}; it runs before the ones registered earlier. */
    synchronized void push(Action action) {
        actions.push(action);
    }

    /** Registers deleting {@code file} if it exists then. */
    void deleteLater(Path file) {
        push(() -> Files.deleteIfExists(file));
    }

    /** Runs the most recent action now (e.g. an unmount once the mounted step is done); its failure is thrown. */
    void runLast() {
        Action a;
        synchronized (this) {
            a = actions.pop();
        }
        try {
            a.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ImageBuildException(e.getMessage(), e);
        }
    }

    /** Problems the cleanup met (best effort: one failed step does not stop the others). */
    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    @Override
    public void close() {
        runAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook waits for us
        }
    }

    private void runAll() {
        // an interrupt (Ctrl-C) must not cut the undo steps short: run them with the flag cleared, then restore it
        boolean interrupted = Thread.interrupted();
        try {
            runActions();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void runActions() {
        while (true) {
            Action a;
            synchronized (this) {
                if (actions.isEmpty()) {
                    closed = true;
                    notifyAll();
                    return;
                }
                a = actions.pop();
            }
            try {
                a.run();
            } catch (Exception e) {
                synchronized (this) {
                    problems.add(e.getMessage() == null ? e.toString() : e.getMessage());
                }
            }
        }
    }

    private void onShutdown() {
        if (closed) {
            return;
        }
        owner.interrupt();
        long deadline = System.nanoTime() + HOOK_WAIT.toNanos();
        synchronized (this) {
            while (!closed && System.nanoTime() < deadline) {
                try {
                    wait(500);
                } catch (InterruptedException e) {
                    break;
                }
                if (!owner.isAlive()) {
                    break;
                }
            }
        }
        if (!closed) {
            runAll();
        }
    }

    /** Deletes a directory tree without crossing into other filesystems (a mount left under it stays untouched). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        for (Path m : Mounts.under(dir)) {
            HostCommand.tryRun(List.of("umount", "-l", m.toString()), Duration.ofSeconds(30));
        }
        if (!Mounts.under(dir).isEmpty()) {
            throw new IOException("not deleting " + dir + ": still has mounts " + Mounts.under(dir));
        }
        HostCommand.run(List.of("rm", "-rf", "--one-file-system", "--", dir.toString()), Duration.ofMinutes(5));
    }
}

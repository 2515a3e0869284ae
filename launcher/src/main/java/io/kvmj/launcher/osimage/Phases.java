package io.kvmj.launcher.osimage;

import java.io.IOException;
import java.time.Duration;

/** Runs the named phases of a build, timing each and telling the {@link BuildListener}. */
final class Phases {
    /** A phase body. */
    @FunctionalInterface
    interface Body {
        void run() throws IOException;
    }

    /** A phase body with a result. */
    @FunctionalInterface
    interface ValueBody<T> {
        T call() throws IOException;
    }

    private final BuildListener listener;

    Phases(BuildListener listener) {
        this.listener = listener;
    }

    void run(String phase, Body body) throws IOException {
        call(phase, () -> {
            body.run();
            return null;
        });
    }

    <T> T call(String phase, ValueBody<T> body) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new ImageBuildException("interrupted");
        }
        long t0 = System.nanoTime();
        listener.phaseStarted(phase);
        T v = body.call();
        listener.phaseDone(phase, Duration.ofNanos(System.nanoTime() - t0));
        return v;
    }

    BuildListener listener() {
        return listener;
    }
}

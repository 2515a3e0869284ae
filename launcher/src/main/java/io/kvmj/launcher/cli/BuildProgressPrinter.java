package io.kvmj.launcher.cli;

import io.kvmj.launcher.osimage.BuildListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Shows the phases of {@code kvmj img build} on stderr: on a terminal the running phase is redrawn every second
 * with its elapsed time; otherwise one plain line when a phase starts and one when it ends.
 */
final class BuildProgressPrinter implements BuildListener, AutoCloseable {
    private final PrintWriter err;
    private final boolean terminal;
    private final String prefix;
    private final ScheduledExecutorService ticker;
    private ScheduledFuture<?> tick;
    private String phase;
    private long phaseStart;

    BuildProgressPrinter(PrintWriter err, boolean terminal, String prefix) {
        this.err = err;
        this.terminal = terminal;
        this.prefix = prefix;
        this.ticker = terminal ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kvmj-img-build-progress");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** A printer for the console if there is one. */
    static BuildProgressPrinter forConsole(PrintWriter err, String prefix) {
        return new BuildProgressPrinter(err, System.console() != null, prefix);
    }

    @Override
    public synchronized void phaseStarted(String name) {
        phase = name;
        phaseStart = System.nanoTime();
        if (terminal) {
            draw();
            tick = ticker.scheduleAtFixedRate(this::draw, 1, 1, TimeUnit.SECONDS);
        } else {
            err.println(prefix + ": " + name + " ...");
            err.flush();
        }
    }

    @Override
    public synchronized void phaseDone(String name, Duration elapsed) {
        stopTick();
        String line = prefix + ": " + name + " done (" + seconds(elapsed.toNanos()) + ")";
        err.println(terminal ? "\r\033[K" + line : line);
        err.flush();
        phase = null;
    }

    @Override
    public synchronized void info(String line) {
        if (terminal && phase != null) {
            err.print("\r\033[K");
        }
        err.println(prefix + ": " + line);
        err.flush();
    }

    private synchronized void draw() {
        if (phase != null) {
            err.print("\r\033[K" + prefix + ": " + phase + " ... " + seconds(System.nanoTime() - phaseStart));
            err.flush();
        }
    }

    private void stopTick() {
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    @Override
    public synchronized void close() {
        stopTick();
        if (terminal && phase != null) {
            err.println();
            err.flush();
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }
}

package io.kvmj.launcher.demo;

import io.kvmj.core.model.GuestSpec;
import io.kvmj.launcher.AcceleratorChoice;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchException;
import io.kvmj.launcher.LaunchPlan;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.ShutdownResult;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One boot of the demo guest through the launcher ({@link Launcher#plan} + {@link Launcher#launch(LaunchPlan)}):
 * runtime directory, kvmj's serial console, no orphan QEMU. Console lines are collected with their time since
 * launch and mirrored to the demo's console.log; {@link #await} waits, bounded, for the guest to power off.
 * {@link #close()} stops QEMU if it still runs and removes the runtime directory.
 */
final class DemoRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoRun.class);

    /**
     * What happened.
     *
     * @param lines         console lines in order
     * @param exitCode      QEMU's exit code, or null if it had to be killed
     * @param timedOut      true when the timeout expired and QEMU was killed
     * @param stderr        QEMU's standard error
     * @param elapsedMillis wall time from start to exit
     * @param accelerator   the accelerator the launcher chose and why
     * @param ended         how the guest ended, as the launcher reports it
     */
    record Outcome(List<ConsoleLine> lines, Integer exitCode, boolean timedOut, String stderr, long elapsedMillis,
                   AcceleratorChoice accelerator, ShutdownResult ended) {}

    /** How long QEMU may take to exit after the guest's done marker before it is stopped. */
    static final Duration AFTER_DONE = Duration.ofSeconds(30);

    private final Guest guest;
    private final long t0;
    private final List<ConsoleLine> lines = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private DemoRun(Guest guest, long t0, Path consoleLog, Consumer<String> echo) {
        this.guest = guest;
        this.t0 = t0;
        this.reader = new Thread(() -> readConsole(guest.consoleStream(), consoleLog, echo), "kvmj-demo-console");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Plans and launches {@code spec}; returns once QEMU is up (QMP ready).
     *
     * @throws DemoException when the launcher refuses the spec or QEMU dies during launch (its stderr and argv)
     */
    static DemoRun start(Launcher launcher, GuestSpec spec, Path consoleLog, Consumer<String> echo) {
        LaunchPlan plan;
        try {
            plan = launcher.plan(spec);
        } catch (LaunchException e) {
            throw new DemoException("the launcher refused the demo guest: " + e.getMessage(), e);
        }
        LOG.debug("starting demo guest: {}", plan.commandLine());
        long t0 = System.nanoTime();
        Guest guest;
        try {
            guest = launcher.launch(plan);
        } catch (LaunchException e) {
            throw new DemoException((e.exitCode().isPresent()
                    ? "QEMU exited with code " + e.exitCode().getAsInt() + " before the guest started."
                    : "QEMU could not be launched: " + e.getMessage())
                    + "\n  stderr: " + (e.stderrTail().isBlank() ? "(empty)" : e.stderrTail().strip())
                    + "\n  argv: " + (e.argv().isEmpty() ? plan.commandLine() : e.commandLine()), e);
        }
        return new DemoRun(guest, t0, consoleLog, echo);
    }

    /** The running guest (QMP, console, state). */
    Guest guest() {
        return guest;
    }

    /**
     * Waits until QEMU exits, at most {@code timeout}, and at most {@link #AFTER_DONE} once the guest printed its
     * done marker; kills it after that. QEMU is gone when this returns.
     */
    Outcome await(Duration timeout) {
        Optional<ShutdownResult> ended = waitForExit(timeout);
        boolean timedOut = ended.isEmpty();
        ShutdownResult r = ended.orElseGet(guest::kill);
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted while the demo guest was running", e);
        }
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        List<ConsoleLine> copy;
        synchronized (lines) {
            copy = List.copyOf(lines);
        }
        return new Outcome(copy, timedOut ? null : r.exitCode(), timedOut, guest.stderrTail(), elapsed,
                guest.accelerator(), r);
    }

    /** Stops QEMU if it still runs (bounded) and removes the runtime directory. */
    @Override
    public void close() {
        guest.close();
    }

    private Optional<ShutdownResult> waitForExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long doneSeen = 0;
        while (System.nanoTime() < deadline) {
            Optional<ShutdownResult> r = guest.awaitExit(Duration.ofMillis(200));
            if (r.isPresent()) {
                return r;
            }
            if (doneSeen == 0) {
                synchronized (lines) {
                    if (lines.stream().anyMatch(l -> l.text().contains(Marker.PREFIX + "done"))) {
                        doneSeen = System.nanoTime();
                    }
                }
            } else if (System.nanoTime() - doneSeen > AFTER_DONE.toNanos()) {
                return Optional.empty();
            }
        }
        return guest.awaitExit(Duration.ZERO);
    }

    private void readConsole(InputStream in, Path log, Consumer<String> echo) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
             BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                String text = line.replace("\r", "");
                lines.add(new ConsoleLine((System.nanoTime() - t0) / 1_000_000, text));
                w.write(text);
                w.newLine();
                w.flush();
                if (echo != null) {
                    echo.accept(text);
                }
            }
        } catch (IOException e) {
            // QEMU went away; what was read is kept
        }
    }
}

package io.kvmj.launcher.demo;

import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchException;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.ShutdownResult;
import io.kvmj.launcher.process.ShellQuote;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Runs the demo guest through the launcher API ({@link Launcher}): a uniquely named guest with its runtime
 * directory, kvmj's serial console (read from the QEMU-written console log), no orphan QEMU (parent-death signal),
 * and a bounded wait. Console lines are collected with their time since launch and mirrored to the demo's
 * console.log. QEMU is always gone when {@link #run} returns.
 */
final class QemuDemoProcess {
    /**
     * What happened.
     *
     * @param lines         console lines in order
     * @param exitCode      QEMU's exit code, or null if it had to be killed
     * @param timedOut      true when the timeout expired and QEMU was killed
     * @param stderr        QEMU's standard error
     * @param elapsedMillis wall time from start to exit
     */
    record Outcome(List<ConsoleLine> lines, Integer exitCode, boolean timedOut, String stderr, long elapsedMillis) {}

    /** How long QEMU may take to exit after the guest's done marker before it is stopped. */
    static final Duration AFTER_DONE = Duration.ofSeconds(30);

    private QemuDemoProcess() {}

    /**
     * Launches {@code argv} (binary first, without a serial console option: the launcher provides it) and waits
     * until QEMU exits, at most {@code timeout}.
     */
    static Outcome run(List<String> argv, Path consoleLog, Duration timeout, Consumer<String> echo) {
        long t0 = System.nanoTime();
        String name = "kvmj-demo-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        Launcher launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(argv.get(0))
                .withShutdownTimeout(Duration.ofSeconds(5)));
        Guest guest;
        try {
            guest = launcher.launchArgv(name, argv.subList(1, argv.size()));
        } catch (LaunchException e) {
            throw new DemoException((e.exitCode().isPresent()
                    ? "QEMU exited with code " + e.exitCode().getAsInt() + " before the guest started."
                    : "QEMU could not be launched.")
                    + "\n  stderr: " + (e.stderrTail().isBlank() ? "(empty)" : e.stderrTail().strip())
                    + "\n  argv: " + (e.argv().isEmpty() ? shellQuoted(argv) : e.commandLine()), e);
        }
        List<ConsoleLine> lines = Collections.synchronizedList(new ArrayList<>());
        try (guest) {
            Thread reader = new Thread(() -> readConsole(guest.consoleStream(), consoleLog, t0, lines, echo),
                "kvmj-demo-console");
            reader.setDaemon(true);
            reader.start();
            Optional<ShutdownResult> ended = waitForExit(guest, lines, timeout);
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
            return new Outcome(copy, timedOut ? null : r.exitCode(), timedOut, guest.stderrTail(), elapsed);
        }
    }

    /**
     * Waits for QEMU to exit, at most {@code timeout}, and at most {@link #AFTER_DONE} once the guest printed its
     * done marker (a guest whose poweroff fails should not hold the caller for the whole timeout).
     */
    private static Optional<ShutdownResult> waitForExit(Guest guest, List<ConsoleLine> lines, Duration timeout) {
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

    private static void readConsole(InputStream in, Path log, long t0, List<ConsoleLine> lines,
                                    Consumer<String> echo) {
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

    /** argv as a copy-pasteable shell command line. */
    static String shellQuoted(List<String> argv) {
        return ShellQuote.join(argv);
    }
}

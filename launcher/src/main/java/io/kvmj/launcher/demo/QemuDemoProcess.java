package io.kvmj.launcher.demo;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs QEMU for the demo guest and collects its serial console (QEMU's stdout), with a bounded timeout and
 * QEMU always destroyed on the way out. The only place the demo spawns QEMU: it will be replaced by the
 * launcher API ({@code Launcher.launch(GuestSpec)}).
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

    /** How long QEMU may take to exit after the guest's done marker before it is killed. */
    static final Duration AFTER_DONE = Duration.ofSeconds(30);

    private QemuDemoProcess() {}

    static Outcome run(List<String> argv, Path consoleLog, Duration timeout, Consumer<String> echo) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new DemoException("cannot start QEMU: " + e.getMessage() + "\n  argv: " + shellQuoted(argv), e);
        }
        List<ConsoleLine> lines = Collections.synchronizedList(new ArrayList<>());
        try {
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            Thread reader = new Thread(() -> readConsole(p.getInputStream(), consoleLog, t0, lines, echo),
                "kvmj-demo-console");
            reader.setDaemon(true);
            reader.start();
            boolean exited = waitForExit(p, lines, timeout);
            if (!exited) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(5_000);
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            String stderr = err.getNow("");
            if (exited) {
                stderr = err.get(5, TimeUnit.SECONDS);
            }
            Integer code = exited ? p.exitValue() : null;
            List<ConsoleLine> copy;
            synchronized (lines) {
                copy = List.copyOf(lines);
            }
            if (exited && code != 0 && copy.stream().noneMatch(l -> l.text().contains(Marker.PREFIX))) {
                throw new DemoException("QEMU exited with code " + code + " before the guest started."
                    + "\n  stderr: " + (stderr.isBlank() ? "(empty)" : stderr.strip())
                    + "\n  argv: " + shellQuoted(argv));
            }
            return new Outcome(copy, code, !exited, stderr, elapsed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted while the demo guest was running", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new DemoException("could not read QEMU's stderr: " + e, e);
        } finally {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits for QEMU to exit, at most {@code timeout}, and at most {@link #AFTER_DONE} once the guest printed its
     * done marker (a guest whose poweroff fails should not hold the caller for the whole timeout).
     */
    private static boolean waitForExit(Process p, List<ConsoleLine> lines, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long doneSeen = 0;
        while (System.nanoTime() < deadline) {
            if (p.waitFor(200, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (doneSeen == 0) {
                synchronized (lines) {
                    if (lines.stream().anyMatch(l -> l.text().contains(Marker.PREFIX + "done"))) {
                        doneSeen = System.nanoTime();
                    }
                }
            } else if (System.nanoTime() - doneSeen > AFTER_DONE.toNanos()) {
                return false;
            }
        }
        return p.waitFor(0, TimeUnit.MILLISECONDS);
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
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(a.matches("[A-Za-z0-9_./:=,+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

package io.kvmj.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a QEMU whose serial console is on stdio until it exits (the guest powers off) or a timeout kills
 * it; collects the console lines. QEMU is always gone when {@link #run} returns.
 *
 * @param lines         console lines
 * @param exitCode      QEMU's exit code, or null when it was killed
 * @param timedOut      the timeout expired
 * @param elapsedMillis spawn until exit, in ms (fractional)
 * @param stderr        QEMU's standard error
 */
public record GuestRun(List<String> lines, Integer exitCode, boolean timedOut, double elapsedMillis, String stderr) {

    /** Spawns {@code argv} and waits for it. */
    public static GuestRun run(List<String> argv, Duration timeout) throws IOException, InterruptedException {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        StringBuilder err = new StringBuilder();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        Thread out = pump(p, lines, false, null);
        Thread errT = pump(p, null, true, err);
        boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        double elapsed = (System.nanoTime() - t0) / 1e6;
        if (!exited) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        out.join(5000);
        errT.join(5000);
        synchronized (err) {
            return new GuestRun(List.copyOf(lines), exited ? p.exitValue() : null, !exited, elapsed, err.toString());
        }
    }

    private static Thread pump(Process p, List<String> lines, boolean stderr, StringBuilder sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    stderr ? p.getErrorStream() : p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    if (lines != null) {
                        lines.add(l);
                    } else {
                        synchronized (sink) {
                            sink.append(l).append('\n');
                        }
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "guest-" + (stderr ? "stderr" : "console"));
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The last {@code n} console lines, for error messages. */
    public String tail(int n) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}

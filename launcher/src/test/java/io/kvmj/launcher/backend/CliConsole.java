package io.kvmj.launcher.backend;

import io.kvmj.launcher.cli.CliProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code kvmj [--connect URI] console NAME} process driven through pipes (no terminal): lines to its stdin, what the
 * guest printed collected from its stdout, {@link #await} for a regex in it.
 */
final class CliConsole implements AutoCloseable {
    private final Process p;
    private final StringBuilder seen = new StringBuilder();

    private CliConsole(Process p) {
        this.p = p;
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (InputStream in = p.getInputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (seen) {
                        seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                        seen.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "cli-console-out");
        t.setDaemon(true);
        t.start();
    }

    /** Starts {@code kvmj ARGS} and waits until it says it is connected (its stderr line). */
    static CliConsole attach(CliProcess cli, String... args) throws IOException {
        Process p = cli.start(args);
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        String l;
        while ((l = err.readLine()) != null) {
            said.append(l).append('\n');
            if (l.contains("'s console") && l.contains("connected to")) {
                return new CliConsole(p);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("kvmj console did not connect: " + said);
    }

    void send(String text) throws IOException {
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
    }

    /** The first match of {@code regex} in what the guest printed since attaching, within {@code timeout}. */
    Matcher await(String regex, Duration timeout) throws InterruptedException {
        Pattern pat = Pattern.compile(regex);
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (seen) {
            while (true) {
                Matcher m = pat.matcher(seen);
                if (m.find()) {
                    return m;
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no /" + regex + "/ on the console within " + timeout + ":\n" + seen);
                }
                TimeUnit.NANOSECONDS.timedWait(seen, left);
            }
        }
    }

    /** Ends input (detaches, as Ctrl-] does) and returns the exit code. */
    int detach() throws Exception {
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("kvmj console did not leave at end of input");
        }
        return p.exitValue();
    }

    /** Waits for the process to end by itself; its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("kvmj console still running after " + timeout);
        }
        return p.exitValue();
    }

    @Override
    public void close() {
        p.destroyForcibly();
    }
}

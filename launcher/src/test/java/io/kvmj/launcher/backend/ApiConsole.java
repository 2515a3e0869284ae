package io.kvmj.launcher.backend;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a {@link BackendConsole} printed, collected for tests: the output consumer, and a wait for a regex in it. */
final class ApiConsole implements Consumer<byte[]> {
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

    @Override
    public synchronized void accept(byte[] bytes) {
        seen.writeBytes(bytes);
        notifyAll();
    }

    /** The first match of {@code regex} in the output so far, waiting up to {@code timeout} for it. */
    synchronized MatchResult await(String regex, Duration timeout) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher m = p.matcher(seen.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                return m.toMatchResult();
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no /" + regex + "/ on the console within " + timeout + ":\n"
                        + seen.toString(StandardCharsets.UTF_8));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}

package io.kvmj.launcher.migrate;

import io.kvmj.launcher.ConsoleConnection;
import io.kvmj.launcher.Guest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The serial console of a migration test guest, the same way for a {@link Guest} of this JVM and for a guest the
 * CLI runs (its {@code console.sock}, one client at a time): send a line, wait for a reply.
 */
public interface GuestConsole extends AutoCloseable {
    /** Which guest (for messages). */
    String name();

    void send(String text);

    /** The first match of {@code regex} in what the guest printed since this console was opened. */
    MatchResult await(String regex, Duration timeout);

    @Override
    void close();

    /** The console of a guest launched by this JVM (not closed by {@link #close()}). */
    static GuestConsole of(Guest g) {
        return new GuestConsole() {
            @Override
            public String name() {
                return g.name();
            }

            @Override
            public void send(String text) {
                g.send(text);
            }

            @Override
            public MatchResult await(String regex, Duration timeout) {
                return g.awaitConsole(regex, timeout);
            }

            @Override
            public void close() {
            }
        };
    }

    /** A connection to the console socket of the guest whose runtime directory is {@code dir}. */
    static GuestConsole socket(Path dir) {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        ConsoleConnection c;
        try {
            c = ConsoleConnection.connect(dir.resolve("console.sock"), Duration.ofSeconds(10), b -> {
                synchronized (seen) {
                    seen.writeBytes(b);
                }
            }, "probe");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new GuestConsole() {
            @Override
            public String name() {
                return dir.getFileName().toString();
            }

            @Override
            public void send(String text) {
                try {
                    c.send(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public MatchResult await(String regex, Duration timeout) {
                Pattern p = Pattern.compile(regex);
                long deadline = System.nanoTime() + timeout.toNanos();
                while (System.nanoTime() < deadline) {
                    String text;
                    synchronized (seen) {
                        text = seen.toString(StandardCharsets.ISO_8859_1);
                    }
                    Matcher m = p.matcher(text);
                    if (m.find()) {
                        return m.toMatchResult();
                    }
                    MigrationTestGuest.sleep(100);
                }
                synchronized (seen) {
                    throw new AssertionError("no /" + regex + "/ on the console of " + name() + ": "
                            + seen.toString(StandardCharsets.ISO_8859_1));
                }
            }

            @Override
            public void close() {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}

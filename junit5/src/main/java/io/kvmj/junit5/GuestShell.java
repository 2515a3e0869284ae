package io.kvmj.junit5;

import io.kvmj.launcher.Guest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * Runs shell commands on a guest whose serial console is a shell (the {@link GuestImage#DEMO} guest, or a logged-in
 * console): sends the command wrapped in begin/end markers and returns what it printed. The markers are printed
 * with {@code printf}, so the terminal's echo of the command line never matches them. One command at a time per
 * guest.
 *
 * <pre>{@code
 * GuestShell sh = GuestShell.of(guest);
 * assertEquals("Linux", sh.run("uname -s").strip());
 * assertEquals(0, sh.exec("test -d /proc/1").exitCode());
 * }</pre>
 */
public final class GuestShell {
    private static final AtomicLong SEQ = new AtomicLong();
    /** Default bound on one command. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private final Guest guest;

    private GuestShell(Guest guest) {
        this.guest = guest;
    }

    /** A shell on {@code guest}'s serial console. */
    public static GuestShell of(Guest guest) {
        return new GuestShell(guest);
    }

    /**
     * What a command did.
     *
     * @param output   what it printed (stdout and stderr, CR LF turned into LF)
     * @param exitCode its exit status
     */
    public record Result(String output, int exitCode) {}

    /** Runs {@code command} and returns its output; fails unless it exits 0. */
    public String run(String command) {
        Result r = exec(command, DEFAULT_TIMEOUT);
        if (r.exitCode() != 0) {
            throw new AssertionError("guest " + guest.name() + ": '" + command + "' exited " + r.exitCode() + ":\n"
                    + r.output());
        }
        return r.output();
    }

    /** Runs {@code command} with {@link #DEFAULT_TIMEOUT}. */
    public Result exec(String command) {
        return exec(command, DEFAULT_TIMEOUT);
    }

    /**
     * Runs {@code command} (one line) and waits at most {@code timeout} for it to finish.
     *
     * @throws io.kvmj.launcher.ConsoleTimeoutException when it does not finish in time
     */
    public synchronized Result exec(String command, Duration timeout) {
        if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("one line only: " + command);
        }
        long n = SEQ.incrementAndGet();
        String begin = "KVMJ-BEGIN-" + n;
        String end = "KVMJ-END-" + n;
        guest.console().skipToEnd();
        guest.send("printf 'KVMJ-%s-%d\\n' BEGIN " + n + "; " + command + "; printf 'KVMJ-%s-%d-%d\\n' END " + n
                + " $?\n");
        MatchResult m = guest.awaitConsole(Pattern.compile(Pattern.quote(begin) + "\\r?\\n(.*?)"
                + Pattern.quote(end) + "-(\\d+)", Pattern.DOTALL), timeout);
        return new Result(m.group(1).replace("\r\n", "\n"), Integer.parseInt(m.group(2)));
    }
}

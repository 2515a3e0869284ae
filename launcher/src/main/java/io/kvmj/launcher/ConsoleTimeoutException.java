package io.kvmj.launcher;

import java.time.Duration;

/** The console did not show the awaited pattern in time; the message holds the pattern and the console's last lines. */
public class ConsoleTimeoutException extends GuestException {
    private static final long serialVersionUID = 1L;

    private final String pattern;
    private final String consoleTail;

    public ConsoleTimeoutException(String guest, String pattern, Duration timeout, String consoleTail) {
        super("guest '" + guest + "': console did not match /" + pattern + "/ within " + timeout.toMillis()
                + " ms" + (consoleTail.isBlank() ? " (console empty)" : "; last console lines:\n"
                + consoleTail.strip().indent(2).stripTrailing()));
        this.pattern = pattern;
        this.consoleTail = consoleTail;
    }

    /** The regular expression that was awaited. */
    public String pattern() {
        return pattern;
    }

    /** The last console lines at the time-out. */
    public String consoleTail() {
        return consoleTail;
    }
}

package io.kvmj.qga;

import java.time.Duration;

/**
 * A process started with {@code guest-exec} had not exited when the wait timed out. The agent answered all the
 * while (this is not {@link QgaNotAnsweringException}); the process still runs in the guest under {@link #pid()}
 * (the agent has no command to kill it; run {@code kill} through {@link QgaClient#exec} if needed) and its
 * status can still be fetched with {@link QgaClient#execStatus(long)}.
 */
public class QgaExecTimeoutException extends QgaException {
    private static final long serialVersionUID = 1L;

    private final long pid;
    private final transient Duration timeout;

    public QgaExecTimeoutException(String program, long pid, Duration timeout) {
        super("guest process " + pid + " (" + program + ") still running after " + timeout.toMillis() + " ms");
        this.pid = pid;
        this.timeout = timeout;
    }

    /** The guest pid of the process that is still running. */
    public long pid() {
        return pid;
    }

    /** The timeout that elapsed. */
    public Duration timeout() {
        return timeout;
    }
}

package io.kvmj.qga;

import java.time.Duration;

/**
 * The socket is connected but no answer came in time: the guest is still booting, the agent is not installed
 * or not running, or it hangs. The client resynchronises ({@code guest-sync-delimited}) before the next command,
 * so a late reply to this command is never taken as the answer to another one.
 */
public class QgaNotAnsweringException extends QgaException {
    private static final long serialVersionUID = 1L;

    private final String command;
    private final transient Duration timeout;

    public QgaNotAnsweringException(String command, Duration timeout) {
        super("guest agent did not answer " + command + " within " + timeout.toMillis() + " ms");
        this.command = command;
        this.timeout = timeout;
    }

    /** The command that got no answer ({@code guest-sync-delimited} when synchronisation failed). */
    public String command() {
        return command;
    }

    /** The timeout that elapsed. */
    public Duration timeout() {
        return timeout;
    }
}

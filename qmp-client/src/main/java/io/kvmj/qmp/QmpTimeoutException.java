package io.kvmj.qmp;

import java.time.Duration;

/** A command, an event wait, a connect or an accept did not complete within its timeout. */
public class QmpTimeoutException extends QmpException {
    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;

    public QmpTimeoutException(String message, Duration timeout) {
        super(message + " (timeout " + timeout.toMillis() + " ms)");
        this.timeout = timeout;
    }

    /** The timeout that elapsed. */
    public Duration timeout() {
        return timeout;
    }
}

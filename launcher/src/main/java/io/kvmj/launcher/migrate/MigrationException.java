package io.kvmj.launcher.migrate;

import io.kvmj.launcher.GuestException;

/**
 * A migration that did not happen: refused before it started, failed or cancelled. The message is one line and
 * says what became of the guest ({@link #sourceRunning()}: the source still runs, nothing lost).
 */
public class MigrationException extends GuestException {
    private final boolean sourceRunning;

    public MigrationException(String message, boolean sourceRunning, Throwable cause) {
        super(message, cause);
        this.sourceRunning = sourceRunning;
    }

    /** True when the source QEMU is still running the guest. */
    public boolean sourceRunning() {
        return sourceRunning;
    }
}

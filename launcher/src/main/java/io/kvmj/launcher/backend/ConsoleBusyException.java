package io.kvmj.launcher.backend;

import io.kvmj.launcher.GuestException;

/**
 * {@link GuestBackend#console} refused: another client holds the guest's console (a {@code kvmj console}, a
 * {@code virsh console}, another {@link BackendConsole}). Its message starts with {@link #BUSY}.
 */
public class ConsoleBusyException extends GuestException {
    /** Start of the message. */
    public static final String BUSY = "console busy";

    public ConsoleBusyException(String message) {
        super(message.startsWith(BUSY) ? message : BUSY + ": " + message);
    }
}

package io.kvmj.junit5;

/** A guest declared with {@link KvmjGuest} could not be booted; the message has its console tail and QEMU stderr. */
public class GuestBootException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GuestBootException(String message, Throwable cause) {
        super(message, cause);
    }
}

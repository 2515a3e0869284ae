package io.kvmj.launcher;

/** Root of the launcher's failures concerning a guest (launch, console, shutdown). Unchecked. */
public class GuestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GuestException(String message) {
        super(message);
    }

    public GuestException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.kvmj.core.ffi;

/**
 * A failed native call: carries the call name (e.g. {@code "ioctl(KVM_CREATE_VM)"} or {@code "open(/dev/kvm)"}),
 * the errno and its {@code strerror} text. Use {@link #errno()} to branch on the common cases.
 */
public class NativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errnoValue;
    private final String strerror;

    /** Creates the exception; prefer {@link NativeAccess#failure(String)} which fills errno and strerror. */
    public NativeException(String call, int errno, String strerror) {
        super(call + " failed: " + strerror + " (" + Errno.of(errno).name().replace("OTHER", "errno " + errno)
                + ")");
        this.call = call;
        this.errnoValue = errno;
        this.strerror = strerror;
    }

    /** The native call that failed, with the ioctl or path in parentheses. */
    public String call() {
        return call;
    }

    /** The raw errno value. */
    public int errnoValue() {
        return errnoValue;
    }

    /** The errno as a constant ({@link Errno#OTHER} if not one of the common ones). */
    public Errno errno() {
        return Errno.of(errnoValue);
    }

    /** The text of {@code strerror(errno)}. */
    public String strerror() {
        return strerror;
    }
}

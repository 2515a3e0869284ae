package io.kvmj.core.ffi;

/**
 * A call on a {@link NativeFile} (or a KVM fd wrapping one) after it was closed. Thrown before anything reaches the
 * kernel: the descriptor number may already belong to another file, so it is never used again.
 *
 * <pre>{@code
 * kvm.close();
 * kvm.apiVersion();   // ClosedFileException: ioctl(KVM_GET_API_VERSION) on /dev/kvm after close
 * }</pre>
 */
public final class ClosedFileException extends IllegalStateException {
    private final String file;
    private final String operation;

    public ClosedFileException(String file, String operation) {
        super(operation + " on " + file + " after close");
        this.file = file;
        this.operation = operation;
    }

    /** The path or description of the closed file, e.g. {@code /dev/kvm}, {@code kvm-vcpu0}. */
    public String file() {
        return file;
    }

    /** What was attempted, e.g. {@code ioctl(KVM_CREATE_VCPU)}. */
    public String operation() {
        return operation;
    }
}

package io.kvmj.launcher.cli;

/** A {@code kvmj disk} operation that cannot be done on this drive as it is (exit code 1). */
final class DiskFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DiskFailure(String message) {
        super(message);
    }
}

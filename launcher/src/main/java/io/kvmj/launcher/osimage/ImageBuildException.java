package io.kvmj.launcher.osimage;

/** A build step failed (a host tool exited non-zero, I/O failed); the partial output has been removed. */
public final class ImageBuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImageBuildException(String message) {
        super(message);
    }

    public ImageBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}

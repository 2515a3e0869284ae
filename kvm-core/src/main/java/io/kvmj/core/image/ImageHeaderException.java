package io.kvmj.core.image;

/** An image header is not readable: truncated, invalid, or a format the pure-Java reader does not parse. */
public class ImageHeaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImageHeaderException(String message) {
        super(message);
    }

    public ImageHeaderException(String message, Throwable cause) {
        super(message, cause);
    }
}

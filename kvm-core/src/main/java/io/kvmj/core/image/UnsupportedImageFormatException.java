package io.kvmj.core.image;

/**
 * The image is valid but in a format the pure-Java header reader does not parse (it reads raw, qcow and
 * qcow2): a refusal naming the detected format, not a damaged image.
 */
public class UnsupportedImageFormatException extends ImageHeaderException {
    private static final long serialVersionUID = 1L;

    private final ImageFormat format;

    public UnsupportedImageFormatException(String message, ImageFormat format) {
        super(message);
        this.format = format;
    }

    /** The format QEMU would detect. */
    public ImageFormat format() {
        return format;
    }
}

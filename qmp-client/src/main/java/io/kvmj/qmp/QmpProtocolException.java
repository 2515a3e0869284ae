package io.kvmj.qmp;

/** QEMU sent something that violates the QMP protocol, or a reply could not be mapped to the expected type. */
public class QmpProtocolException extends QmpException {
    private static final long serialVersionUID = 1L;

    public QmpProtocolException(String message) {
        super(message);
    }

    public QmpProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}

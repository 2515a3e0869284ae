package io.kvmj.qmp;

/**
 * Root of every failure reported by the QMP client. Unchecked, so blocking convenience methods can throw it
 * directly; asynchronous methods complete their futures exceptionally with a subclass of it.
 */
public class QmpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QmpException(String message) {
        super(message);
    }

    public QmpException(String message, Throwable cause) {
        super(message, cause);
    }
}

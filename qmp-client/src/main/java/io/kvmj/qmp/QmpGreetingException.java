package io.kvmj.qmp;

/** The QMP greeting or the {@code qmp_capabilities} negotiation failed (missing, malformed, refused, timed out). */
public class QmpGreetingException extends QmpProtocolException {
    private static final long serialVersionUID = 1L;

    public QmpGreetingException(String message) {
        super(message);
    }

    public QmpGreetingException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.kvmj.qmp;

/** Could not connect to (or listen for) a QMP endpoint. Carries the address and the last I/O error as cause. */
public class QmpConnectException extends QmpException {
    private static final long serialVersionUID = 1L;

    public QmpConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}

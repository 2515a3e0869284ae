package io.kvmj.qga;

/** The client was closed locally ({@link QgaClient#close()}) before or while a command ran. */
public class QgaClosedException extends QgaException {
    private static final long serialVersionUID = 1L;

    public QgaClosedException(String message) {
        super(message);
    }
}

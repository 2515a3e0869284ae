package io.kvmj.qga;

/**
 * Root of every failure reported by the guest agent client. Unchecked, like {@link io.kvmj.qmp.QmpException}.
 * The subclasses tell the three situations a caller must tell apart: the agent answered with an error
 * ({@link QgaErrorException}), the guest runs but the agent is silent ({@link QgaNotAnsweringException}), and
 * QEMU itself is not there ({@link QgaGuestGoneException}).
 */
public class QgaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QgaException(String message) {
        super(message);
    }

    public QgaException(String message, Throwable cause) {
        super(message, cause);
    }
}

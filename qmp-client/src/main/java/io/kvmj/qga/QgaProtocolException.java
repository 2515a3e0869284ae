package io.kvmj.qga;

/**
 * The agent sent something that is not a reply to the command (a garbage line, an over-long line, a stray
 * sync delimiter) or a reply that does not have the expected shape. The client resynchronises before the next
 * command.
 */
public class QgaProtocolException extends QgaException {
    private static final long serialVersionUID = 1L;

    public QgaProtocolException(String message) {
        super(message);
    }

    public QgaProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}

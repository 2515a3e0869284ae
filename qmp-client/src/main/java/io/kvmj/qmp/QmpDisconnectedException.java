package io.kvmj.qmp;

/**
 * The connection to QEMU is gone (peer closed it, I/O error, or {@link QmpMonitor#close()}) while a command was
 * pending or when a command was attempted. {@link #getCause()} carries the underlying I/O error, if any.
 */
public class QmpDisconnectedException extends QmpException {
    private static final long serialVersionUID = 1L;

    private final String command;

    public QmpDisconnectedException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public QmpDisconnectedException(String message, String command, Throwable cause) {
        super(command == null ? message : command + ": " + message, cause);
        this.command = command;
    }

    /** The command that was pending, or {@code null} if this is not about one command. */
    public String command() {
        return command;
    }
}

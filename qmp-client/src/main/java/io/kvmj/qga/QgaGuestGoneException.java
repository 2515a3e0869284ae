package io.kvmj.qga;

import java.nio.file.Path;

/**
 * The agent socket is not there: the socket file is missing, nobody listens on it (ECONNREFUSED), or the
 * connection was closed or reset by the peer. With QEMU serving the agent channel
 * ({@code -chardev socket,server=on}) this means QEMU is gone; a stopped agent inside a running guest shows as
 * {@link QgaNotAnsweringException} instead. The next call reconnects.
 */
public class QgaGuestGoneException extends QgaException {
    private static final long serialVersionUID = 1L;

    private final transient Path socket;

    public QgaGuestGoneException(String message, Path socket, Throwable cause) {
        super(message + " (agent socket " + socket + ")", cause);
        this.socket = socket;
    }

    /** The agent socket path. */
    public Path socket() {
        return socket;
    }
}

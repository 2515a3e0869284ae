package io.kvmj.launcher.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A single-client QEMU socket is held by another kvmj client (see {@link SocketClaim}). */
public final class SocketBusyException extends IOException {
    private final transient Path socket;
    private final OptionalLong holder;

    public SocketBusyException(Path socket, OptionalLong holder) {
        super(socket.getFileName() + " is in use by another client"
                + (holder.isPresent() ? " (kvmj pid " + holder.getAsLong() + ")" : ""));
        this.socket = socket;
        this.holder = holder;
    }

    /** The socket asked for. */
    public Path socket() {
        return socket;
    }

    /** Pid of the process holding it, when recorded. */
    public OptionalLong holder() {
        return holder;
    }
}

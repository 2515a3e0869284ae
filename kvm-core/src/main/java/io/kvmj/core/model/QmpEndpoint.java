package io.kvmj.core.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A QMP monitor. {@link Mode#UNIX_CLIENT} makes QEMU connect to a socket kvmj already listens on
 * (no race on socket creation); the server modes make QEMU listen (without waiting).
 */
public record QmpEndpoint(Mode mode, Path path, String host, int port) {
    /** Who listens. */
    public enum Mode { UNIX_SERVER, UNIX_CLIENT, TCP_SERVER }

    public QmpEndpoint {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.TCP_SERVER) {
            host = host == null ? "127.0.0.1" : host;
            if (!host.matches("[0-9A-Za-z.]+")) {
                throw new InvalidSpecException("qmp.host", host, "not an IPv4 address or host name");
            }
            if (port < 1 || port > 65535) {
                throw new InvalidSpecException("qmp.port", port, "not a TCP port");
            }
        } else if (path == null) {
            throw new InvalidSpecException("qmp.path", null, "unix QMP endpoint needs a socket path");
        }
    }

    public static QmpEndpoint unixServer(Path socket) { return new QmpEndpoint(Mode.UNIX_SERVER, socket, null, 0); }

    public static QmpEndpoint unixClient(Path socket) { return new QmpEndpoint(Mode.UNIX_CLIENT, socket, null, 0); }

    public static QmpEndpoint tcp(String host, int port) { return new QmpEndpoint(Mode.TCP_SERVER, null, host, port); }
}

package io.kvmj.core.model;

import java.util.Objects;

/** A user-mode {@code hostfwd} rule: host {@code hostAddress:hostPort} to guest port. Host address defaults to 127.0.0.1. */
public record PortForward(Protocol protocol, String hostAddress, int hostPort, int guestPort) {
    /** Forwarded protocol. */
    public enum Protocol { TCP, UDP }

    public PortForward {
        Objects.requireNonNull(protocol, "protocol");
        hostAddress = hostAddress == null ? "127.0.0.1" : hostAddress;
        if (!hostAddress.matches("[0-9A-Za-z.]*")) {
            throw new InvalidSpecException("hostfwd.host", hostAddress, "not an IPv4 address or host name");
        }
        if (hostPort < 0 || hostPort > 65535) {
            throw new InvalidSpecException("hostfwd.hostPort", hostPort, "not a port");
        }
        if (guestPort < 1 || guestPort > 65535) {
            throw new InvalidSpecException("hostfwd.guestPort", guestPort, "not a port");
        }
    }

    public static PortForward tcp(int hostPort, int guestPort) { return new PortForward(Protocol.TCP, "127.0.0.1", hostPort, guestPort); }

    public static PortForward udp(int hostPort, int guestPort) { return new PortForward(Protocol.UDP, "127.0.0.1", hostPort, guestPort); }

    /** The hostfwd value, e.g. {@code tcp:127.0.0.1:2222-:22}. */
    public String qemuValue() {
        return protocol.name().toLowerCase(java.util.Locale.ROOT) + ":" + hostAddress + ":" + hostPort + "-:" + guestPort;
    }
}

package io.kvmj.core.model;

import java.nio.file.Path;

/**
 * VNC display {@code host:display} (port 5900+display). Bound to 127.0.0.1 unless {@link #anyAddress(int)} is
 * asked for explicitly. {@code passwordFile}: a file holding the password, passed as a QEMU secret object.
 */
public record VncSpec(String host, int display, Path passwordFile) {
    public VncSpec {
        host = host == null ? "127.0.0.1" : host;
        if (!host.matches("[0-9A-Za-z.]+")) throw new InvalidSpecException("vnc.host", host, "not an IPv4 address or host name");
        if (display < 0 || display > 59635) throw new InvalidSpecException("vnc.display", display, "out of range");
    }

    public static VncSpec loopback(int display) { return new VncSpec("127.0.0.1", display, null); }

    /** Listens on every interface (0.0.0.0); only when asked explicitly. */
    public static VncSpec anyAddress(int display) { return new VncSpec("0.0.0.0", display, null); }

    public VncSpec withPasswordFile(Path file) { return new VncSpec(host, display, file); }

    public int port() { return 5900 + display; }
}

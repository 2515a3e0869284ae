package io.kvmj.launcher.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * libvirt's VNC autoport: the first display (port 5900 + N) that can be bound on the listen address now. As with
 * libvirt, a port taken between this probe and QEMU's bind makes the launch fail with QEMU's message.
 *
 * <pre>{@code int display = VncAutoport.freeDisplay("127.0.0.1"); // 0 when 5900 is free, else 1, ...}</pre>
 */
final class VncAutoport {
    /** Displays probed: 5900..5999. */
    static final int MAX_DISPLAYS = 100;

    private VncAutoport() {}

    /** The first display whose port is free on {@code host} (a listener on the wildcard address counts too). */
    static int freeDisplay(String host) {
        for (int d = 0; d < MAX_DISPLAYS; d++) {
            if (free(host, 5900 + d)) {
                return d;
            }
        }
        throw new IllegalArgumentException("--graphics: no free VNC port in 5900-" + (5900 + MAX_DISPLAYS - 1)
                + " on " + host + "; give port=");
    }

    static boolean free(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // as QEMU binds: a port in TIME_WAIT is usable
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True for 127.0.0.0/8, ::1 and localhost. */
    static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }
}

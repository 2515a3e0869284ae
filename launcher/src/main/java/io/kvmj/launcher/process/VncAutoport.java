package io.kvmj.launcher.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.OptionalInt;

/**
 * libvirt's VNC autoport: the first display (port 5900 + N) that can be bound on the listen address now. As with
 * libvirt, a port taken between this probe and QEMU's bind makes the launch fail with QEMU's message.
 *
 * Used by {@code kvmj run --graphics vnc} without {@code port=} and by a same-host migration's destination (the
 * source still holds its port).
 *
 * <pre>{@code int display = VncAutoport.freeDisplay("127.0.0.1").orElseThrow(); // 0 when 5900 is free, else 1, ...}</pre>
 */
public final class VncAutoport {
    /** Displays probed: 5900..5999. */
    public static final int MAX_DISPLAYS = 100;

    private VncAutoport() {}

    /**
     * The first display whose port is free on {@code host} (a listener on the wildcard address counts too); empty
     * when all {@value #MAX_DISPLAYS} are taken.
     */
    public static OptionalInt freeDisplay(String host) {
        for (int d = 0; d < MAX_DISPLAYS; d++) {
            if (free(host, 5900 + d)) {
                return OptionalInt.of(d);
            }
        }
        return OptionalInt.empty();
    }

    /** True when {@code port} can be bound on {@code host} now, as QEMU binds it. */
    public static boolean free(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // as QEMU binds: a port in TIME_WAIT is usable
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True for 127.0.0.0/8, ::1 and localhost. */
    public static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }
}

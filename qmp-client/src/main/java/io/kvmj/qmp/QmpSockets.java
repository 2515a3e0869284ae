package io.kvmj.qmp;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Opens the {@code java.nio} sockets of a QMP connection (Unix domain or TCP) and wraps them in Netty channels
 * that remember the socket ({@link DirectWriter#RAW}), for the connecting and the listening side alike.
 */
final class QmpSockets {
    private QmpSockets() {
    }

    static boolean unix(SocketAddress address) {
        return address instanceof UnixDomainSocketAddress;
    }

    /** An unconnected socket for {@code address}'s family. */
    static SocketChannel open(SocketAddress address) throws IOException {
        return unix(address) ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
    }

    /** A non-blocking server socket bound to {@code address}. */
    static ServerSocketChannel bind(SocketAddress address) throws IOException {
        ServerSocketChannel s = unix(address) ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                : ServerSocketChannel.open();
        try {
            s.bind(address);
            s.configureBlocking(false);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The Netty channel over {@code socket} (connected or not), remembering the socket. */
    static Channel wrap(SocketChannel socket, boolean unix) {
        Channel ch = unix ? new NioDomainSocketChannel(socket) : new NioSocketChannel(socket);
        ch.attr(DirectWriter.RAW).set(socket);
        return ch;
    }
}

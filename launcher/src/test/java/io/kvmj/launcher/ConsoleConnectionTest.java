package io.kvmj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvmj.launcher.process.SocketBusyException;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single-client server socket like QEMU's console: a second client is refused at once (not queued behind the
 * first, whose departure would let its input through), and after the first detaches the socket can be claimed again.
 */
class ConsoleConnectionTest {
    @TempDir
    Path dir;

    @Test
    void secondClientIsRefusedAndNothingOfItReachesTheServer() throws Exception {
        Path sock = dir.resolve("console.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            ConsoleConnection first = ConsoleConnection.connect(sock, Duration.ofSeconds(5), null, "t");
            SocketChannel accepted = server.accept(); // QEMU serves this one only
            SocketBusyException busy = assertThrows(SocketBusyException.class,
                    () -> ConsoleConnection.connect(sock, Duration.ofSeconds(5), null, "t"));
            assertEquals(ProcessHandle.current().pid(), busy.holder().getAsLong());
            first.send("echo FIRST\n");
            first.close();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(256);
            while (accepted.read(buf) >= 0) {
                buf.flip();
                got.write(buf.array(), 0, buf.limit());
                buf.clear();
            }
            assertEquals("echo FIRST\n", got.toString(StandardCharsets.UTF_8));
            // the first detached: a new client gets the console, and the server sees only what it sends
            try (ConsoleConnection again = ConsoleConnection.connect(sock, Duration.ofSeconds(5), null, "t");
                 SocketChannel next = server.accept()) {
                again.send("echo SECOND\n");
                ByteBuffer b2 = ByteBuffer.allocate(64);
                next.read(b2);
                assertEquals("echo SECOND\n", new String(b2.array(), 0, b2.position(), StandardCharsets.UTF_8));
            }
            accepted.close();
        }
        Files.deleteIfExists(sock);
    }
}

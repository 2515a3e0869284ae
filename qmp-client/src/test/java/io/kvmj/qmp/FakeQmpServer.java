package io.kvmj.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Scripted QMP server for fault injection (plain blocking java.nio). The test thread drives it: accept, write
 * exact bytes (optionally split), read the client's requests line by line, close at any moment.
 */
final class FakeQmpServer implements AutoCloseable {
    static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 1, \"minor\": 2, \"major\": 7},"
            + " \"package\": \"fake\"}, \"capabilities\": [%s]}}\r\n";

    private final ServerSocketChannel server;
    private final SocketAddress address;

    private FakeQmpServer(ServerSocketChannel server, SocketAddress address) {
        this.server = server;
        this.address = address;
    }

    static FakeQmpServer unix(Path path) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        UnixDomainSocketAddress a = UnixDomainSocketAddress.of(path);
        s.bind(a);
        return new FakeQmpServer(s, a);
    }

    static FakeQmpServer tcp() throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        return new FakeQmpServer(s, s.getLocalAddress());
    }

    SocketAddress address() {
        return address;
    }

    Conn accept() throws IOException {
        return new Conn(server.accept());
    }

    /** Accepts, sends a greeting (oob offered or not) and answers qmp_capabilities. */
    Conn acceptAndNegotiate(boolean offerOob) throws IOException {
        Conn c = accept();
        c.send(greeting(offerOob));
        JsonNode caps = c.readRequest();
        if (!"qmp_capabilities".equals(caps.path("execute").asText())) {
            throw new IllegalStateException("expected qmp_capabilities, got " + caps);
        }
        c.reply(caps, "{}");
        return c;
    }

    static String greeting(boolean offerOob) {
        return String.format(GREETING, offerOob ? "\"oob\"" : "");
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (address instanceof UnixDomainSocketAddress u) {
            Files.deleteIfExists(u.getPath());
        }
    }

    /** One accepted connection. */
    static final class Conn implements AutoCloseable {
        final SocketChannel ch;
        private final ByteBuffer in = ByteBuffer.allocate(1 << 16);
        private boolean eof;

        /** The fake QEMU as the connecting side (QEMU's {@code -qmp tcp:HOST:PORT} without {@code server}). */
        static Conn connect(java.net.SocketAddress address) throws IOException {
            return new Conn(SocketChannel.open(address));
        }

        Conn(SocketChannel ch) {
            this.ch = ch;
            in.flip();
        }

        void send(String text) throws IOException {
            sendBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        synchronized void sendBytes(byte[] bytes) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        /** Sends each byte with its own write call. */
        void sendBytewise(String text) throws IOException {
            for (byte x : text.getBytes(StandardCharsets.UTF_8)) {
                sendBytes(new byte[] {x});
            }
        }

        void reply(JsonNode request, String returnJson) throws IOException {
            send("{\"return\": " + returnJson + ", \"id\": " + request.get("id") + "}\r\n");
        }

        void error(JsonNode request, String cls, String desc) throws IOException {
            send("{\"error\": {\"class\": \"" + cls + "\", \"desc\": \"" + desc + "\"}, \"id\": " + request.get("id")
                    + "}\r\n");
        }

        void event(String name, String dataJson) throws IOException {
            send("{\"event\": \"" + name + "\", \"data\": " + dataJson
                    + ", \"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 5}}\r\n");
        }

        /** Reads one request line (blocking); null on EOF. */
        JsonNode readRequest() throws IOException {
            String line = readLine();
            return line == null ? null : QmpJson.mapper().readTree(line);
        }

        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                while (in.hasRemaining()) {
                    byte b = in.get();
                    if (b == '\n') {
                        return line.toString(StandardCharsets.UTF_8);
                    }
                    line.write(b);
                }
                if (!fill()) {
                    return null;
                }
            }
        }

        /** True once the client closed its side (reads until EOF, discarding data). */
        boolean awaitEof() throws IOException {
            while (fill()) {
                in.position(in.limit());
            }
            return eof;
        }

        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            in.clear();
            int n;
            try {
                n = ch.read(in);
            } catch (IOException e) {
                n = -1;
            }
            in.flip();
            if (n < 0) {
                eof = true;
                return false;
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}

package io.kvmj.qga;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.qmp.QmpJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Scripted guest agent for fault injection only (plain blocking java.nio on a Unix socket). The script thread
 * accepts, reads the client's requests (noting a leading {@code 0xFF}) and writes exact bytes, split as it likes.
 */
final class FakeAgent implements AutoCloseable {
    private final ServerSocketChannel server;
    final Path path;

    private FakeAgent(ServerSocketChannel server, Path path) {
        this.server = server;
        this.path = path;
    }

    static FakeAgent listen(Path path) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(path));
        return new FakeAgent(s, path);
    }

    Conn accept() throws IOException {
        return new Conn(server.accept());
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }

    /** One request as the fake agent read it. */
    record Request(boolean delimited, JsonNode json) {
        String command() {
            return json.path("execute").asText();
        }

        JsonNode arguments() {
            return json.path("arguments");
        }

        long syncId() {
            return json.path("arguments").path("id").asLong();
        }
    }

    /** One accepted connection. */
    static final class Conn implements AutoCloseable {
        final SocketChannel ch;
        private final ByteBuffer in = ByteBuffer.allocate(1 << 16);

        Conn(SocketChannel ch) {
            this.ch = ch;
            in.flip();
        }

        void send(String text) throws IOException {
            sendBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        void sendBytes(byte[] bytes) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        /** Sends each byte with its own write and a pause, so the client sees many partial reads. */
        void sendSlowly(String text) throws IOException, InterruptedException {
            for (byte x : text.getBytes(StandardCharsets.ISO_8859_1)) {
                sendBytes(new byte[] {x});
                Thread.sleep(1);
            }
        }

        /** Reads one request (blocking); a leading 0xFF is noted and stripped. Null on EOF. */
        Request read() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean delimited = false;
            while (true) {
                while (in.hasRemaining()) {
                    byte b = in.get();
                    if (b == (byte) 0xFF) {
                        delimited = true;
                        line.reset();
                    } else if (b == '\n') {
                        return new Request(delimited, QmpJson.mapper().readTree(line.toByteArray()));
                    } else {
                        line.write(b);
                    }
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
                    return null;
                }
            }
        }

        /** Reads a request that must be a delimited {@code guest-sync-delimited}; returns its id. */
        long expectSync() throws IOException {
            Request r = read();
            if (r == null || !r.delimited() || !"guest-sync-delimited".equals(r.command())) {
                throw new IllegalStateException("expected 0xFF + guest-sync-delimited, got " + r);
            }
            return r.syncId();
        }

        /** Reads a request that must be {@code command}. */
        Request expect(String command) throws IOException {
            Request r = read();
            if (r == null || !command.equals(r.command())) {
                throw new IllegalStateException("expected " + command + ", got " + r);
            }
            return r;
        }

        /** The real agent's answer to a sync: a parse error for the 0xFF, then 0xFF and the id. */
        void answerSync(long id) throws IOException {
            send("{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\uFFFD'\"}}\n"
                    + "\u00ff{\"return\": " + id + "}\n");
        }

        void syncHandshake() throws IOException {
            answerSync(expectSync());
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}

package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connect, listen, greeting and negotiation failures. */
class QmpHandshakeTest {
    @TempDir
    Path dir;

    private static Throwable failure(CompletableFuture<?> f) {
        return assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS)).getCause();
    }

    private static QmpClientOptions quick() {
        return QmpClientOptions.builder().handshakeTimeout(Duration.ofMillis(300))
                .connectTimeout(Duration.ofMillis(300)).name("hs").build();
    }

    @Test
    void connectRetriesUntilTheSocketAppears() throws Exception {
        Path sock = dir.resolve("late.sock");
        CompletableFuture<QmpClient> f = QmpClient.connect(sock, QmpClientOptions.defaults());
        assertTrue(!Files.exists(sock));
        try (FakeQmpServer server = FakeQmpServer.unix(sock); FakeQmpServer.Conn c = server.acceptAndNegotiate(false);
                QmpClient client = f.get(20, TimeUnit.SECONDS)) {
            assertEquals("fake", client.greeting().packageName());
        }
    }

    @Test
    void connectGivesUpWithTheAddressInTheError() {
        Path sock = dir.resolve("never.sock");
        Throwable t = failure(QmpClient.connect(sock, quick()));
        assertInstanceOf(QmpConnectException.class, t);
        assertTrue(t.getMessage().contains(sock.toString()), t.getMessage());
    }

    @Test
    void nonRetriableConnectErrorsFailAtOnce() {
        Path tooLong = dir.resolve("x".repeat(200) + ".sock");
        Throwable t = failure(QmpClient.connect(tooLong, QmpClientOptions.defaults()));
        assertInstanceOf(QmpConnectException.class, t);
        assertTrue(t.getMessage().contains("(1 attempt)"), t.getMessage());
        assertTrue(t.getMessage().contains("too long"), t.getMessage());
    }

    @Test
    void tcpTransport() throws Exception {
        try (FakeQmpServer server = FakeQmpServer.tcp()) {
            CompletableFuture<QmpClient> f = QmpClient.connect(server.address(), QmpClientOptions.defaults());
            try (FakeQmpServer.Conn c = server.acceptAndNegotiate(true); QmpClient client = f.get(20, TimeUnit.SECONDS)) {
                CompletableFuture<JsonNode> r = client.execute("query-name");
                c.reply(c.readRequest(), "{\"name\": \"tcp\"}");
                assertEquals("tcp", r.get(20, TimeUnit.SECONDS).path("name").asText());
            }
        }
    }

    @Test
    void malformedGreetingFailsTheConnect() throws Exception {
        try (FakeQmpServer server = FakeQmpServer.unix(dir.resolve("g.sock"))) {
            CompletableFuture<QmpClient> f = QmpClient.connect(server.address(), quick());
            try (FakeQmpServer.Conn c = server.accept()) {
                c.send("{\"QMP\": {\"capabilities\": []}}\n");
                assertInstanceOf(QmpGreetingException.class, failure(f));
                assertTrue(c.awaitEof(), "connection closed after a bad greeting");
            }
            f = QmpClient.connect(server.address(), quick());
            try (FakeQmpServer.Conn c = server.accept()) {
                c.send("Welcome to something that is not QMP\n");
                assertInstanceOf(QmpGreetingException.class, failure(f));
            }
        }
    }

    @Test
    void silentServerHitsTheHandshakeTimeout() throws Exception {
        try (FakeQmpServer server = FakeQmpServer.unix(dir.resolve("s.sock"))) {
            CompletableFuture<QmpClient> f = QmpClient.connect(server.address(), quick());
            try (FakeQmpServer.Conn c = server.accept()) {
                Throwable t = failure(f);
                assertInstanceOf(QmpGreetingException.class, t);
                assertTrue(t.getMessage().contains("no QMP greeting"), t.getMessage());
            }
        }
    }

    @Test
    void refusedCapabilitiesNegotiation() throws Exception {
        try (FakeQmpServer server = FakeQmpServer.unix(dir.resolve("r.sock"))) {
            CompletableFuture<QmpClient> f = QmpClient.connect(server.address(), QmpClientOptions.defaults());
            try (FakeQmpServer.Conn c = server.accept()) {
                c.send(FakeQmpServer.greeting(true));
                c.error(c.readRequest(), "GenericError", "Capability negotiation is already complete");
                Throwable t = failure(f);
                assertInstanceOf(QmpGreetingException.class, t);
                assertInstanceOf(QmpErrorException.class, t.getCause());
            }
        }
    }

    @Test
    void serverClosingBeforeTheGreeting() throws Exception {
        try (FakeQmpServer server = FakeQmpServer.unix(dir.resolve("c.sock"))) {
            CompletableFuture<QmpClient> f = QmpClient.connect(server.address(), QmpClientOptions.defaults());
            server.accept().close();
            assertInstanceOf(QmpGreetingException.class, failure(f));
        }
    }

    @Test
    void listenerAcceptTimesOutAndCloseFailsWaitingAccepts() {
        try (QmpListener l = QmpListener.listen(dir.resolve("l.sock"))) {
            assertInstanceOf(QmpTimeoutException.class, failure(l.accept(Duration.ofMillis(100))));
            CompletableFuture<QmpClient> waiting = l.accept(Duration.ofSeconds(30));
            l.close();
            assertInstanceOf(QmpDisconnectedException.class, failure(waiting));
            assertTrue(!Files.exists(dir.resolve("l.sock")), "socket file removed on close");
            assertInstanceOf(QmpDisconnectedException.class, failure(l.accept(Duration.ofSeconds(1))));
        }
    }

    @Test
    void listenerReplacesStaleSocketButRefusesRegularFiles() throws Exception {
        Path sock = dir.resolve("stale.sock");
        try (FakeQmpServer stale = FakeQmpServer.unix(sock)) {
            // a socket file left behind by a dead process
            try (QmpListener l = QmpListener.listen(sock)) {
                CompletableFuture<QmpClient> accepted = l.accept(Duration.ofSeconds(10));
                try (SocketChannel sc = SocketChannel.open(l.address());
                        FakeQmpServer.Conn c = new FakeQmpServer.Conn(sc)) {
                    c.send(FakeQmpServer.greeting(false));
                    c.reply(c.readRequest(), "{}");
                    accepted.get(10, TimeUnit.SECONDS).close();
                }
            }
        }
        Path file = Files.writeString(dir.resolve("regular"), "x");
        assertThrows(QmpConnectException.class, () -> QmpListener.listen(file));
        assertEquals("x", Files.readString(file), "nothing lost");
    }
}

package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link QmpState}: the transition table, the states a real connection goes through, typed wrong-state errors. */
class QmpClientStateTest {
    @TempDir
    Path dir;
    private FakeQmpServer server;

    @BeforeEach
    void start() throws Exception {
        server = FakeQmpServer.unix(dir.resolve("fake.sock"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static Throwable failure(CompletableFuture<?> f) {
        return assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS)).getCause();
    }

    @Test
    void transitionsOnlyGoForwardAndClosedIsFinal() {
        for (QmpState s : QmpState.values()) {
            assertFalse(s.canMoveTo(s), s + " -> itself");
            assertEquals(s != QmpState.CLOSED, s.canMoveTo(QmpState.CLOSED), s + " -> CLOSED");
            for (QmpState t : QmpState.values()) {
                if (s.canMoveTo(t) && t != QmpState.FAILED && t != QmpState.CLOSING && t != QmpState.CLOSED) {
                    assertEquals(s.ordinal() + 1, t.ordinal(), "the handshake goes one step at a time: " + s + " -> " + t);
                }
            }
        }
        assertFalse(QmpState.READY.canMoveTo(QmpState.FAILED), "a negotiated session cannot fail its handshake");
        assertFalse(QmpState.CLOSING.canMoveTo(QmpState.READY));
        assertEquals(EnumSet.of(QmpState.NEGOTIATING, QmpState.READY, QmpState.QUITTING),
                EnumSet.copyOf(java.util.Arrays.stream(QmpState.values()).filter(QmpState::acceptsCommands).toList()));
    }

    @Test
    void readyQuittingClosedAndTypedErrorsAfterwards() throws Exception {
        CompletableFuture<QmpClient> f = QmpClient.connect(server.address(), QmpClientOptions.builder().name("st").build());
        try (FakeQmpServer.Conn conn = server.acceptAndNegotiate(false); QmpClient c = f.get(10, TimeUnit.SECONDS)) {
            assertEquals(QmpState.READY, c.state());
            CompletableFuture<JsonNode> quit = c.execute("quit");
            assertEquals(QmpState.QUITTING, c.state());
            conn.reply(conn.readRequest(), "{}");
            quit.get(10, TimeUnit.SECONDS);
            conn.close();
            c.closeFuture().get(10, TimeUnit.SECONDS); // quit, then EOF: a normal end
            assertEquals(QmpState.CLOSED, c.state());
            QmpStateException e = assertInstanceOf(QmpStateException.class, failure(c.execute("query-status")));
            assertEquals(QmpState.CLOSED, e.state());
            assertEquals("query-status", e.command());
            assertTrue(e.getMessage().contains("QEMU quit"), e.getMessage());
            QmpStateException b = assertThrows(QmpStateException.class, () -> c.call("query-status"));
            assertEquals(QmpState.CLOSED, b.state());
            assertInstanceOf(QmpStateException.class, failure(c.awaitEvent("X", ev -> true, Duration.ofSeconds(1)).future()));
        }
    }

    @Test
    void closeMovesToClosedAndRefusesCommandsWithTheState() throws Exception {
        CompletableFuture<QmpClient> f = QmpClient.connect(server.address(), QmpClientOptions.builder().name("st").build());
        try (FakeQmpServer.Conn conn = server.acceptAndNegotiate(false)) {
            QmpClient c = f.get(10, TimeUnit.SECONDS);
            c.close();
            assertEquals(QmpState.CLOSED, c.state());
            QmpStateException e = assertInstanceOf(QmpStateException.class, failure(c.execute("query-status")));
            assertTrue(e.getMessage().contains("client closed") && e.getMessage().contains("CLOSED"), e.getMessage());
            c.close(); // idempotent
            assertEquals(QmpState.CLOSED, c.state());
        }
    }

    @Test
    void anErrorWithoutIdFailsTheOldestWaitingCommandAtOnce() throws Exception {
        QmpClientOptions o = QmpClientOptions.builder().name("st").commandTimeout(Duration.ofSeconds(60)).build();
        CompletableFuture<QmpClient> f = QmpClient.connect(server.address(), o);
        try (FakeQmpServer.Conn conn = server.acceptAndNegotiate(false); QmpClient c = f.get(10, TimeUnit.SECONDS)) {
            CompletableFuture<JsonNode> first = c.execute("query-status");
            CompletableFuture<JsonNode> second = c.execute("query-name");
            JsonNode r1 = conn.readRequest();
            JsonNode r2 = conn.readRequest();
            assertEquals("query-status", r1.path("execute").asText());
            // what QEMU sends for a request it cannot parse (e.g. "JSON token size limit exceeded")
            conn.send("{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, invalid keyword 'x'\"}}\n");
            long t0 = System.nanoTime();
            QmpProtocolException e = assertInstanceOf(QmpProtocolException.class, failure(first));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "failed at once, not by the 60 s timeout");
            assertTrue(e.getMessage().startsWith("query-status: ") && e.getMessage().contains("invalid keyword 'x'"),
                    e.getMessage());
            conn.reply(r2, "{\"name\": \"vm\"}");
            assertEquals("vm", second.get(10, TimeUnit.SECONDS).path("name").asText(), "the next command is unaffected");
            assertEquals(QmpState.READY, c.state());
            assertEquals(0, c.pendingCount());

            conn.send("{\"error\": {\"class\": \"GenericError\", \"desc\": \"stray\"}}\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (c.unknownReplies() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, c.unknownReplies(), "an error without id while nothing waits is counted and dropped");
            CompletableFuture<JsonNode> third = c.execute("query-status");
            conn.reply(conn.readRequest(), "{\"running\": true}");
            assertTrue(third.get(10, TimeUnit.SECONDS).path("running").asBoolean());
        }
    }
}

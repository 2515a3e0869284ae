package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.qmp.command.QueryStatus;
import io.kvmj.qmp.model.StatusInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link QmpOneShot} against a scripted server: the happy path with noise around the reply, and each failure. */
class QmpOneShotTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    Path dir;

    /** Runs {@code script} as the server side of one connection on another thread. */
    private CompletableFuture<Void> serve(FakeQmpServer server, Script script) {
        return CompletableFuture.runAsync(() -> {
            try (FakeQmpServer.Conn c = server.accept()) {
                script.run(c);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    interface Script {
        void run(FakeQmpServer.Conn c) throws Exception;
    }

    @Test
    void typedCallSkipsEventsForeignRepliesAndBlankLines() throws Exception {
        Path sock = dir.resolve("q.sock");
        JsonNode[] caps = new JsonNode[1];
        JsonNode[] req = new JsonNode[1];
        try (FakeQmpServer server = FakeQmpServer.unix(sock)) {
            CompletableFuture<Void> s = serve(server, c -> {
                c.sendBytewise(FakeQmpServer.greeting(true)); // split in the middle of everything
                caps[0] = c.readRequest();
                c.reply(caps[0], "{}");
                req[0] = c.readRequest();
                c.send("\r\n");
                c.event("RESUME", "{}");
                c.send("{\"return\": {\"running\": false, \"status\": \"other\"}, \"id\": \"someone-else\"}\n");
                c.send("{\"return\": {\"running\": true, \"status\": \"paused\", \"extra\": 1}, \"id\": "
                        + req[0].get("id") + "}\r\n");
                c.awaitEof();
            });
            StatusInfo st = QmpOneShot.call(sock, new QueryStatus(), T);
            s.get(10, TimeUnit.SECONDS);
            assertEquals("paused", st.status());
            assertTrue(st.running());
        }
        // no out-of-band even when offered, and no arguments to qmp_capabilities
        assertEquals("qmp_capabilities", caps[0].path("execute").asText());
        assertFalse(caps[0].has("arguments"), caps[0].toString());
        assertEquals("query-status", req[0].path("execute").asText());
        assertFalse(req[0].has("arguments"), req[0].toString());
    }

    @Test
    void theCommandIsSentWithTheNegotiationWithoutWaitingForItsReply() throws Exception {
        Path sock = dir.resolve("q.sock");
        try (FakeQmpServer server = FakeQmpServer.unix(sock)) {
            CompletableFuture<Void> s = serve(server, c -> {
                c.send(FakeQmpServer.greeting(false));
                JsonNode caps = c.readRequest(); // both arrive before any reply: one round trip to QEMU, not two
                JsonNode req = c.readRequest();
                assertEquals("qmp_capabilities", caps.path("execute").asText());
                assertEquals("query-status", req.path("execute").asText());
                assertFalse(caps.get("id").equals(req.get("id")), "distinct ids: " + caps + " " + req);
                c.reply(caps, "{}");
                c.reply(req, "{\"running\": true, \"status\": \"running\"}");
                c.awaitEof();
            });
            assertEquals("running", QmpOneShot.call(sock, "query-status", null, SHORT).path("status").asText());
            s.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void refusedNegotiationIsAGreetingError() throws Exception {
        Path sock = dir.resolve("q.sock");
        try (FakeQmpServer server = FakeQmpServer.unix(sock)) {
            CompletableFuture<Void> s = serve(server, c -> {
                c.send(FakeQmpServer.greeting(false));
                c.error(c.readRequest(), "GenericError", "no");
                c.readRequest(); // QEMU refuses it too (only qmp_capabilities before negotiation); the client has left
                c.awaitEof();
            });
            QmpGreetingException e = assertThrows(QmpGreetingException.class,
                    () -> QmpOneShot.call(sock, "query-status", null, T));
            assertTrue(e.getMessage().contains("qmp_capabilities failed"), e.getMessage());
            s.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void errorReplyIsTheClientsErrorException() throws Exception {
        Path sock = dir.resolve("q.sock");
        try (FakeQmpServer server = FakeQmpServer.unix(sock)) {
            CompletableFuture<Void> s = serve(server, c -> {
                c.send(FakeQmpServer.greeting(false));
                c.reply(c.readRequest(), "{}");
                c.error(c.readRequest(), "DeviceNotFound", "no disk d9");
                c.awaitEof();
            });
            QmpErrorException e = assertThrows(QmpErrorException.class, () -> QmpOneShot.call(sock, "block_resize",
                    QmpJson.object().put("node-name", "d9").put("size", 1), T));
            s.get(10, TimeUnit.SECONDS);
            assertEquals("DeviceNotFound", e.errorClass());
            assertEquals("no disk d9", e.description());
            assertEquals("block_resize", e.command());
            assertEquals("d9", e.arguments().path("node-name").asText());
        }
    }

    @Test
    void silentServerIsAGreetingTimeout() throws Exception {
        Path sock = dir.resolve("q.sock");
        try (FakeQmpServer server = FakeQmpServer.unix(sock)) {
            CompletableFuture<Void> s = serve(server, FakeQmpServer.Conn::awaitEof);
            long t0 = System.nanoTime();
            QmpGreetingException e = assertThrows(QmpGreetingException.class,
                    () -> QmpOneShot.call(sock, "query-status", null, SHORT));
            assertTrue(System.nanoTime() - t0 >= SHORT.toNanos(), "waited the whole timeout");
            assertTrue(e.getMessage().contains("no QMP greeting within 300 ms"), e.getMessage());
            s.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void unansweredCapabilitiesIsAGreetingTimeout() throws Exception {
        Path sock = dir.resolve("q.sock");
        try (FakeQmpServer server = FakeQmpServer.unix(sock)) {
            CompletableFuture<Void> s = serve(server, c -> {
                c.send(FakeQmpServer.greeting(false));
                c.awaitEof();
            });
            QmpGreetingException e = assertThrows(QmpGreetingException.class,
                    () -> QmpOneShot.call(sock, "query-status", null, SHORT));
            assertTrue(e.getMessage().contains("qmp_capabilities unanswered"), e.getMessage());
            s.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void malformedOrAbsentGreetingIsAGreetingError() throws Exception {
        Path sock = dir.resolve("q.sock");
        try (FakeQmpServer server = FakeQmpServer.unix(sock)) {
            CompletableFuture<Void> s = serve(server, c -> {
                c.send("{\"QMP\": {\"version\": \n");
                c.awaitEof();
            });
            QmpGreetingException e = assertThrows(QmpGreetingException.class,
                    () -> QmpOneShot.call(sock, "query-status", null, T));
            assertTrue(e.getMessage().startsWith("malformed QMP greeting: {\"QMP\""), e.getMessage());
            s.get(10, TimeUnit.SECONDS);

            s = serve(server, c -> c.send("{\"hello\": 1}\n"));
            e = assertThrows(QmpGreetingException.class, () -> QmpOneShot.call(sock, "query-status", null, T));
            assertTrue(e.getMessage().startsWith("not a QMP greeting"), e.getMessage());
            s.get(10, TimeUnit.SECONDS);

            s = serve(server, c -> { });
            e = assertThrows(QmpGreetingException.class, () -> QmpOneShot.call(sock, "query-status", null, T));
            assertTrue(e.getMessage().contains("connection closed before the QMP session was negotiated"),
                    e.getMessage());
            s.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void unansweredCommandTimesOutAndAClosedConnectionIsADisconnect() throws Exception {
        Path sock = dir.resolve("q.sock");
        try (FakeQmpServer server = FakeQmpServer.unix(sock)) {
            CompletableFuture<Void> s = serve(server, c -> {
                c.send(FakeQmpServer.greeting(false));
                c.reply(c.readRequest(), "{}");
                c.readRequest();
                c.awaitEof();
            });
            QmpTimeoutException t = assertThrows(QmpTimeoutException.class,
                    () -> QmpOneShot.call(sock, "query-status", null, SHORT));
            assertEquals(SHORT, t.timeout());
            s.get(10, TimeUnit.SECONDS);

            s = serve(server, c -> {
                c.send(FakeQmpServer.greeting(false));
                c.reply(c.readRequest(), "{}");
                c.readRequest();
            });
            QmpDisconnectedException d = assertThrows(QmpDisconnectedException.class,
                    () -> QmpOneShot.call(sock, "query-status", null, T));
            assertEquals("query-status", d.command());
            s.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void missingSocketIsAConnectError() {
        Path sock = dir.resolve("none.sock");
        QmpConnectException e = assertThrows(QmpConnectException.class,
                () -> QmpOneShot.call(sock, "query-status", null, T));
        assertTrue(e.getMessage().contains(sock.toString()), e.getMessage());
    }
}

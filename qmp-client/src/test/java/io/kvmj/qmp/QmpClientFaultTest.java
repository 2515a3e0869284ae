package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fault injection over a real Unix socket against {@link FakeQmpServer}. */
class QmpClientFaultTest {
    @TempDir
    Path dir;
    private FakeQmpServer server;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = FakeQmpServer.unix(dir.resolve("fake.sock"));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
        server.close();
    }

    private QmpClientOptions.Builder opts() {
        return QmpClientOptions.builder().name("fault");
    }

    private record Pair(QmpClient client, FakeQmpServer.Conn conn) {
    }

    private Pair connect(QmpClientOptions o, boolean oob) throws Exception {
        CompletableFuture<QmpClient> f = QmpClient.connect(server.address(), o);
        FakeQmpServer.Conn conn = server.acceptAndNegotiate(oob);
        QmpClient c = f.get(10, TimeUnit.SECONDS);
        cleanup.add(conn);
        cleanup.add(c);
        return new Pair(c, conn);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void greetingSentOneByteAtATime() throws Exception {
        CompletableFuture<QmpClient> f = QmpClient.connect(server.address(), opts().build());
        try (FakeQmpServer.Conn conn = server.accept()) {
            conn.sendBytewise(FakeQmpServer.greeting(true));
            JsonNode caps = conn.readRequest();
            conn.sendBytewise("{\"return\": {}, \"id\": " + caps.get("id") + "}\r\n");
            try (QmpClient c = f.get(10, TimeUnit.SECONDS)) {
                assertTrue(c.greeting().oobEnabled());
                CompletableFuture<JsonNode> r = c.execute("query-status");
                JsonNode req = conn.readRequest();
                conn.sendBytewise("{\"event\": \"X\"}\n{\"return\": {\"running\": true}, \"id\": " + req.get("id")
                        + "}\n");
                assertTrue(r.get(10, TimeUnit.SECONDS).path("running").asBoolean());
            }
        }
    }

    @Test
    void serverClosingMidCommandFailsEveryPendingFutureWithinOneSecond() throws Exception {
        Pair p = connect(opts().build(), false);
        List<CompletableFuture<JsonNode>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(p.client.execute("query-status"));
        }
        p.conn.readRequest(); // at least one arrived; the rest may be in flight
        p.conn.close();
        CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
        all.handle((r, t) -> null).get(1, TimeUnit.SECONDS); // bounded wait: no future may hang
        for (CompletableFuture<JsonNode> f : futures) {
            QmpDisconnectedException e = assertInstanceOf(QmpDisconnectedException.class, failure(f));
            assertEquals("query-status", e.command());
        }
        Throwable closeCause = failure(p.client.closeFuture());
        assertInstanceOf(QmpDisconnectedException.class, closeCause);
        assertFalse(p.client.isOpen());
        assertInstanceOf(QmpDisconnectedException.class, failure(p.client.execute("query-status")));
        assertThrows(QmpDisconnectedException.class, () -> p.client.call("query-status"));
        assertEquals(0, p.client.pendingCount());
    }

    @Test
    void commandWithoutAnswerTimesOutAndTheLateReplyIsDroppedCleanly() throws Exception {
        Pair p = connect(opts().commandTimeout(Duration.ofMillis(200)).build(), false);
        CompletableFuture<JsonNode> f = p.client.execute("query-status");
        JsonNode req = p.conn.readRequest();
        QmpTimeoutException te = assertInstanceOf(QmpTimeoutException.class, failure(f));
        assertEquals(Duration.ofMillis(200), te.timeout());
        assertThrows(QmpTimeoutException.class, () -> p.client.call("never", null, Duration.ofMillis(50)));
        p.conn.readRequest();
        p.conn.reply(req, "{\"late\": true}"); // late reply
        CompletableFuture<JsonNode> next = p.client.execute("query-name", null, Duration.ofSeconds(10));
        p.conn.reply(p.conn.readRequest(), "{\"name\": \"vm\"}");
        assertEquals("vm", next.get(10, TimeUnit.SECONDS).path("name").asText());
        assertEquals(0, p.client.unknownReplies(), "a late reply is not an unknown id");
        assertTrue(p.client.isOpen());
    }

    @Test
    void eventArrivingBeforeTheReplyIsNotMissed() throws Exception {
        Pair p = connect(opts().build(), false);
        EventWaiter w = p.client.awaitEvent("STOP", e -> true, Duration.ofSeconds(10));
        CompletableFuture<JsonNode> stop = p.client.execute("stop");
        JsonNode req = p.conn.readRequest();
        p.conn.event("STOP", "{}"); // QEMU emits STOP before the reply
        p.conn.reply(req, "{}");
        stop.get(10, TimeUnit.SECONDS);
        QmpEvent e = w.await();
        assertEquals("STOP", e.name());
        assertEquals(1_700_000_000L, e.timestamp().getEpochSecond());
    }

    @Test
    void blockedListenerAndFullQueueNeverBlockRepliesOrWaiters() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        Pair p = connect(opts().eventQueueCapacity(2).build(), false);
        p.client.subscribe(e -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });
        p.conn.event("FIRST", "{}");
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        EventWaiter w = p.client.awaitEvent("DEVICE_DELETED", e -> "disk1".equals(e.dataText("device")),
                Duration.ofSeconds(10));
        for (int i = 0; i < 10; i++) {
            p.conn.event("DEVICE_DELETED", "{\"device\": \"disk" + i + "\", \"path\": \"/x\"}");
        }
        CompletableFuture<JsonNode> f = p.client.execute("query-status");
        p.conn.reply(p.conn.readRequest(), "{\"running\": true}");
        assertTrue(f.get(10, TimeUnit.SECONDS).path("running").asBoolean(), "listener blocked, reply still came");
        assertEquals("disk1", w.await().dataText("device"), "waiters do not depend on the listener queue");
        assertEquals(8, p.client.droppedEvents(), "10 events, 2 queue slots, listener busy");
        release.countDown();
    }

    @Test
    void eventWaiterTimesOutAndFailsOnDisconnect() throws Exception {
        Pair p = connect(opts().build(), false);
        EventWaiter never = p.client.awaitEvent("NEVER", Duration.ofMillis(100));
        assertThrows(QmpTimeoutException.class, never::await);
        EventWaiter w = p.client.awaitEvent("SHUTDOWN", Duration.ofSeconds(30));
        p.conn.close();
        assertThrows(QmpDisconnectedException.class, w::await);
    }

    @Test
    void quitAndTheDisconnectThatFollowsAreANormalEnd() throws Exception {
        Pair p = connect(opts().build(), false);
        EventWaiter shutdown = p.client.awaitEvent("SHUTDOWN", Duration.ofSeconds(10));
        CompletableFuture<JsonNode> pendingOther = p.client.execute("query-status");
        CompletableFuture<JsonNode> quit = p.client.execute("quit");
        p.conn.readRequest();
        JsonNode quitReq = p.conn.readRequest();
        p.conn.reply(quitReq, "{}");
        p.conn.event("SHUTDOWN", "{\"guest\": false, \"reason\": \"host-qmp-quit\"}");
        p.conn.close();
        quit.get(10, TimeUnit.SECONDS);
        assertEquals("host-qmp-quit", shutdown.await().dataText("reason"));
        assertNull(p.client.closeFuture().get(10, TimeUnit.SECONDS), "normal end");
        assertInstanceOf(QmpDisconnectedException.class, failure(pendingOther), "other commands still fail");
    }

    @Test
    void quitWhoseReplyIsLostInTheDisconnectStillSucceeds() throws Exception {
        Pair p = connect(opts().build(), false);
        CompletableFuture<JsonNode> quit = p.client.execute("quit");
        p.conn.readRequest();
        p.conn.close();
        assertNotNull(quit.get(10, TimeUnit.SECONDS));
        assertNull(p.client.closeFuture().get(10, TimeUnit.SECONDS));
    }

    @Test
    void closeIsIdempotentFailsPendingAndEndsNormally() throws Exception {
        Pair p = connect(opts().build(), false);
        CompletableFuture<JsonNode> f = p.client.execute("query-status");
        p.client.close();
        p.client.close();
        QmpDisconnectedException e = assertInstanceOf(QmpDisconnectedException.class, failure(f));
        assertTrue(e.getMessage().contains("client closed"), e.getMessage());
        assertNull(p.client.closeFuture().get(10, TimeUnit.SECONDS));
        assertTrue(p.conn.awaitEof(), "server sees the connection closed");
    }

    @Test
    void outOfBandExecution() throws Exception {
        Pair p = connect(opts().build(), true);
        assertTrue(p.client.greeting().oobEnabled());
        CompletableFuture<JsonNode> f = p.client.executeOob("migrate-pause", null, null);
        JsonNode req = p.conn.readRequest();
        assertEquals("migrate-pause", req.path("exec-oob").asText());
        assertFalse(req.has("execute"));
        p.conn.reply(req, "{}");
        f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void outOfBandRefusedWhenNotNegotiated() throws Exception {
        Pair p = connect(opts().enableOob(false).build(), true);
        assertTrue(p.client.greeting().oobOffered());
        assertFalse(p.client.greeting().oobEnabled());
        assertInstanceOf(QmpException.class, failure(p.client.executeOob("migrate-pause", null, null)));
    }

    @Test
    void callbacksNeverRunOnTheIoThreadAndCloseFromAListenerDoesNotDeadlock() throws Exception {
        Pair p = connect(opts().build(), false);
        CompletableFuture<String> callbackThread = p.client.execute("query-status")
                .thenApply(r -> Thread.currentThread().getName());
        CompletableFuture<String> waiterThread = p.client.awaitEvent("STOP", Duration.ofSeconds(10)).future()
                .thenApply(e -> Thread.currentThread().getName());
        CompletableFuture<String> listenerThread = new CompletableFuture<>();
        p.client.subscribe("SHUTDOWN", e -> {
            listenerThread.complete(Thread.currentThread().getName());
            p.client.close(); // must not wait for its own thread
        });
        p.conn.event("STOP", "{}");
        p.conn.reply(p.conn.readRequest(), "{}");
        assertFalse(callbackThread.get(10, TimeUnit.SECONDS).startsWith("kvmj-qmp-io"), callbackThread.get());
        assertFalse(waiterThread.get(10, TimeUnit.SECONDS).startsWith("kvmj-qmp-io"), waiterThread.get());
        p.conn.event("SHUTDOWN", "{}");
        assertTrue(listenerThread.get(10, TimeUnit.SECONDS).startsWith("kvmj-qmp-events"), listenerThread.get());
        assertNull(p.client.closeFuture().get(10, TimeUnit.SECONDS));
        assertTrue(p.conn.awaitEof());
    }

    @Test
    void blockingCallFromTheIoThreadIsRefusedInsteadOfDeadlocking() throws Exception {
        Pair p = connect(opts().completionExecutor(Runnable::run).build(), false);
        CompletableFuture<Throwable> nested = p.client.execute("first").handle((r, t) -> {
            try {
                p.client.call("second");
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        p.conn.reply(p.conn.readRequest(), "{}");
        assertInstanceOf(IllegalStateException.class, nested.get(10, TimeUnit.SECONDS));
    }

    @Test
    void sixteenMebibyteReplyOverTheSocket() throws Exception {
        Pair p = connect(opts().build(), false);
        CompletableFuture<JsonNode> f = p.client.execute("query-qmp-schema");
        JsonNode req = p.conn.readRequest();
        int size = 16 * 1024 * 1024;
        StringBuilder sb = new StringBuilder(size + 100).append("{\"return\": [\"");
        sb.append("s".repeat(size)).append("\"], \"id\": ").append(req.get("id")).append("}\r\n");
        p.conn.event("BEFORE", "{}");
        p.conn.send(sb.toString());
        p.conn.event("AFTER", "{}");
        assertEquals(size, f.get(30, TimeUnit.SECONDS).get(0).asText().length());
        assertEquals(0, p.client.malformedMessages());
    }
}

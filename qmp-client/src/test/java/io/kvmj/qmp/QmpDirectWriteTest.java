package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands are written on the caller's thread ({@link DirectWriter}); what the socket does not take at once goes
 * through Netty. These tests make the socket full and check that nothing is lost or reordered, and that a
 * blocking call keeps its own deadline.
 */
class QmpDirectWriteTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final ExecutorService qemuSide = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws Exception {
        qemuSide.shutdownNow();
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private record Session(QmpClient client, FakeQmpServer.Conn conn) {
    }

    /** A fake QEMU on a new Unix socket and a negotiated client connected to it. */
    private Session connect(String socketName) throws Exception {
        FakeQmpServer server = FakeQmpServer.unix(dir.resolve(socketName));
        cleanup.add(server);
        CompletableFuture<QmpClient> connecting = QmpClient.connect(server.address(), QmpClientOptions.defaults());
        FakeQmpServer.Conn conn = server.acceptAndNegotiate(false);
        cleanup.add(conn);
        QmpClient c = connecting.get(10, TimeUnit.SECONDS);
        cleanup.add(c);
        return new Session(c, conn);
    }

    @Test
    void aCommandLargerThanTheSocketBufferAndTheOnesAfterItArriveWholeAndInOrder() throws Exception {
        Session s = connect("big.sock");
        QmpClient c = s.client();
        FakeQmpServer.Conn conn = s.conn();
        int commands = 400;
        int big = 3;
        String blob = "x".repeat(8 * 1024 * 1024); // far beyond a Unix socket buffer: the rest goes through Netty
        // the fake QEMU reads while the client writes, so the socket fills and drains under the writes
        Future<List<Integer>> received = qemuSide.submit(() -> {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < commands; i++) {
                JsonNode req = conn.readRequest(); // a command split by another would not parse
                if (i == big) {
                    assertEquals(blob.length(), req.path("arguments").path("blob").asText().length());
                }
                order.add(req.path("arguments").path("n").asInt());
                conn.reply(req, "{\"n\": " + order.get(i) + "}");
            }
            return order;
        });
        List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
        for (int i = 0; i < commands; i++) {
            ObjectNode args = QmpJson.object().put("n", i);
            if (i == big) {
                args.put("blob", blob);
            }
            replies.add(c.execute("echo", args));
        }
        List<Integer> order = received.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < commands; i++) {
            assertEquals(i, order.get(i), "command " + i + " arrived out of order");
            assertEquals(i, replies.get(i).get(10, TimeUnit.SECONDS).path("n").asInt());
        }
        // and the direct path is used again once Netty has flushed the queue
        Future<?> answer = qemuSide.submit(() -> {
            conn.reply(conn.readRequest(), "{\"status\": \"running\", \"running\": true}");
            return null;
        });
        assertEquals("running", c.call("query-status").path("status").asText());
        answer.get(5, TimeUnit.SECONDS);
    }

    @Test
    void blockingCallKeepsItsOwnDeadlineAndTheLateReplyIsDropped() throws Exception {
        Session s = connect("slow.sock");
        QmpClient c = s.client();
        FakeQmpServer.Conn conn = s.conn();
        long t0 = System.nanoTime();
        QmpTimeoutException e = assertThrows(QmpTimeoutException.class,
                () -> c.call("query-status", null, Duration.ofMillis(200)));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 190 && ms < 5000, "timed out after " + ms + " ms, asked for 200 ms");
        assertTrue(e.getMessage().contains("query-status"), e.getMessage());
        JsonNode req = conn.readRequest();
        conn.reply(req, "{\"late\": true}");
        // the connection still works, the late reply was not taken for an unknown id
        Future<?> answer = qemuSide.submit(() -> {
            conn.reply(conn.readRequest(), "{\"name\": \"vm\"}");
            return null;
        });
        assertEquals("vm", c.call("query-name").path("name").asText());
        answer.get(5, TimeUnit.SECONDS);
        assertEquals(0, c.unknownReplies());
    }

    @Test
    void listenerOverTcpReportsTheBoundPortAndAcceptsADirectWritingClient() throws Exception {
        try (QmpListener l = QmpListener.listen(new InetSocketAddress("127.0.0.1", 0), QmpClientOptions.defaults())) {
            InetSocketAddress bound = (InetSocketAddress) l.address();
            assertTrue(bound.getPort() > 0, "bound " + bound);
            CompletableFuture<QmpClient> accepted = l.accept(Duration.ofSeconds(10));
            try (FakeQmpServer.Conn qemu = FakeQmpServer.Conn.connect(bound)) {
                qemu.send(FakeQmpServer.greeting(false));
                qemu.reply(qemu.readRequest(), "{}");
                QmpClient c = accepted.get(10, TimeUnit.SECONDS);
                cleanup.add(c);
                Future<?> answer = qemuSide.submit(() -> {
                    qemu.reply(qemu.readRequest(), "{\"status\": \"paused\", \"running\": false}");
                    return null;
                });
                assertEquals("paused", c.call("query-status").path("status").asText());
                answer.get(5, TimeUnit.SECONDS);
            }
        }
    }
}

package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many commands in flight from many threads, replies out of order; and no thread leaks after close. */
class QmpConcurrencyTest {
    private static final int THREADS = 16;
    private static final int COMMANDS = 10_000;

    @TempDir
    Path dir;

    @Test
    void tenThousandConcurrentCommandsFromSixteenThreadsRepliedOutOfOrder() throws Exception {
        try (FakeQmpServer server = FakeQmpServer.unix(dir.resolve("c.sock"))) {
            CompletableFuture<QmpClient> cf = QmpClient.connect(server.address(), QmpClientOptions.defaults());
            FakeQmpServer.Conn conn = server.acceptAndNegotiate(true);
            QmpClient client = cf.get(10, TimeUnit.SECONDS);
            LinkedBlockingQueue<JsonNode> requests = new LinkedBlockingQueue<>();
            AtomicInteger replied = new AtomicInteger();
            Thread reader = new Thread(() -> {
                try {
                    JsonNode r;
                    while ((r = conn.readRequest()) != null) {
                        requests.add(r);
                    }
                } catch (Exception e) {
                    // connection closed at the end
                }
            }, "fake-reader");
            Thread replier = new Thread(() -> {
                try {
                    while (replied.get() < COMMANDS) {
                        List<JsonNode> batch = new ArrayList<>();
                        JsonNode first = requests.poll(10, TimeUnit.SECONDS);
                        if (first == null) {
                            return;
                        }
                        batch.add(first);
                        requests.drainTo(batch, 500);
                        Collections.shuffle(batch);
                        StringBuilder sb = new StringBuilder();
                        for (JsonNode r : batch) {
                            sb.append("{\"return\": {\"echo\": ").append(r.path("arguments").path("n"))
                                    .append("}, \"id\": ").append(r.get("id")).append("}\r\n");
                            if (r.path("arguments").path("n").asInt() % 1000 == 0) {
                                sb.append("{\"event\": \"NOISE\"}\r\n");
                            }
                        }
                        conn.send(sb.toString());
                        replied.addAndGet(batch.size());
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, "fake-replier");
            reader.start();
            replier.start();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try (client; conn) {
                List<Future<List<CompletableFuture<JsonNode>>>> perThread = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    perThread.add(pool.submit(() -> {
                        List<CompletableFuture<JsonNode>> mine = new ArrayList<>();
                        for (int i = thread; i < COMMANDS; i += THREADS) {
                            mine.add(client.execute("echo", QmpJson.object().put("n", i)));
                        }
                        return mine;
                    }));
                }
                int checked = 0;
                for (int t = 0; t < THREADS; t++) {
                    List<CompletableFuture<JsonNode>> mine = perThread.get(t).get(60, TimeUnit.SECONDS);
                    int i = t;
                    for (CompletableFuture<JsonNode> f : mine) {
                        assertEquals(i, f.get(60, TimeUnit.SECONDS).path("echo").asInt(), "reply routed by id");
                        i += THREADS;
                        checked++;
                    }
                }
                assertEquals(COMMANDS, checked);
                assertEquals(0, client.pendingCount());
                assertEquals(0, client.unknownReplies());
            } finally {
                pool.shutdownNow();
                replier.join(10_000);
                reader.join(10_000);
            }
        }
    }

    private static List<String> qmpThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith(IoResources.THREAD_PREFIX)) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Test
    void noThreadOrChannelLeaksAfterClose() throws Exception {
        List<String> before = qmpThreads();
        try (FakeQmpServer server = FakeQmpServer.unix(dir.resolve("leak.sock"))) {
            for (int round = 0; round < 5; round++) {
                CompletableFuture<QmpClient> cf = QmpClient.connect(server.address(), QmpClientOptions.defaults());
                try (FakeQmpServer.Conn conn = server.acceptAndNegotiate(true)) {
                    QmpClient c = cf.get(10, TimeUnit.SECONDS);
                    c.subscribe(e -> { });
                    conn.event("SOMETHING", "{}"); // starts the event thread
                    CompletableFuture<JsonNode> f = c.execute("query-status");
                    conn.reply(conn.readRequest(), "{}");
                    f.get(10, TimeUnit.SECONDS);
                    assertTrue(qmpThreads().size() > before.size(), "client threads exist while open");
                    c.close();
                    assertTrue(conn.awaitEof(), "channel closed: the server sees EOF");
                }
            }
            // listener path: listener + accepted client share one I/O thread
            try (QmpListener l = QmpListener.listen(dir.resolve("l.sock"))) {
                CompletableFuture<QmpClient> accepted = l.accept(java.time.Duration.ofSeconds(10));
                try (java.nio.channels.SocketChannel sc = java.nio.channels.SocketChannel.open(l.address());
                        FakeQmpServer.Conn conn = new FakeQmpServer.Conn(sc)) {
                    conn.send(FakeQmpServer.greeting(false));
                    conn.reply(conn.readRequest(), "{}");
                    QmpClient c = accepted.get(10, TimeUnit.SECONDS);
                    l.close();
                    CompletableFuture<JsonNode> f = c.execute("query-status");
                    conn.reply(conn.readRequest(), "{\"running\": true}");
                    assertTrue(f.get(10, TimeUnit.SECONDS).path("running").asBoolean(), "client outlives listener");
                    c.close();
                    assertTrue(conn.awaitEof());
                }
            }
        }
        // an event loop completes its termination future just before its thread returns: allow a bounded moment
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!qmpThreads().equals(before) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(before, qmpThreads(), "all kvmj-qmp threads stopped after close()");
    }
}

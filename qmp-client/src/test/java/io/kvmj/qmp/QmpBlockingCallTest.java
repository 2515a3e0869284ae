package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blocking {@code call}: the poll-then-park wait ({@link QmpClientOptions#busyPoll()}) against the fake server. */
class QmpBlockingCallTest {
    @TempDir
    Path dir;
    private FakeQmpServer server;
    private FakeQmpServer.Conn conn;
    private QmpClient client;
    private final ExecutorService qemuSide = Executors.newSingleThreadExecutor();

    @BeforeEach
    void start() throws Exception {
        server = FakeQmpServer.unix(dir.resolve("fake.sock"));
    }

    @AfterEach
    void stop() throws Exception {
        qemuSide.shutdownNow();
        if (client != null) {
            client.close();
        }
        if (conn != null) {
            conn.close();
        }
        server.close();
    }

    private QmpClient connect(Duration spin) throws Exception {
        CompletableFuture<QmpClient> f = QmpClient.connect(server.address(),
                QmpClientOptions.builder().name("blocking").busyPoll(spin).build());
        conn = server.acceptAndNegotiate(false);
        client = f.get(10, TimeUnit.SECONDS);
        return client;
    }

    /** The fake QEMU answers the next request after {@code delayMs} with {@code returnJson}. */
    private Future<?> answerAfter(long delayMs, String returnJson) {
        return qemuSide.submit(() -> {
            JsonNode req = conn.readRequest();
            Thread.sleep(delayMs);
            conn.reply(req, returnJson);
            return null;
        });
    }

    @Test
    void replyWithinTheSpinIsReturned() throws Exception {
        QmpClient c = connect(QmpClientOptions.MAX_BUSY_POLL);
        Future<?> server = answerAfter(0, "{\"status\": \"running\", \"running\": true}");
        assertEquals("running", c.call("query-status").path("status").asText());
        server.get(5, TimeUnit.SECONDS);
    }

    @Test
    void replyAfterTheSpinBudgetArrivesThroughTheParkedWait() throws Exception {
        QmpClient c = connect(Duration.ofMillis(1));
        Future<?> server = answerAfter(300, "{\"status\": \"paused\", \"running\": false}");
        long t0 = System.nanoTime();
        JsonNode r = c.call("query-status");
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals("paused", r.path("status").asText());
        assertTrue(waitedMs >= 290, "the reply was sent after 300 ms, call returned after " + waitedMs + " ms");
        server.get(5, TimeUnit.SECONDS);
    }

    @Test
    void spinningIsBoundedByTheBudget() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        QmpClient c = connect(Duration.ofMillis(1));
        Future<?> server = answerAfter(600, "{\"status\": \"running\", \"running\": true}");
        long cpu0 = mx.getCurrentThreadCpuTime();
        c.call("query-status");
        long cpuMs = TimeUnit.NANOSECONDS.toMillis(mx.getCurrentThreadCpuTime() - cpu0);
        // spinning until the reply would cost ~600 ms of CPU; a 1 ms budget then a parked wait costs a few ms
        assertTrue(cpuMs < 200, "caller used " + cpuMs + " ms of CPU waiting 600 ms with a 1 ms spin budget");
        server.get(5, TimeUnit.SECONDS);
    }

    @Test
    void theIoThreadStopsPollingWhenTrafficStops() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        QmpClient c = connect(QmpClientOptions.MAX_BUSY_POLL);
        Future<?> server = answerAfter(0, "{\"status\": \"running\", \"running\": true}");
        c.call("query-status");
        server.get(5, TimeUnit.SECONDS);
        long io = ioThreadOf(mx, "blocking");
        Thread.sleep(QmpClientOptions.MAX_BUSY_POLL.toMillis() + 200); // the linger after the reply has passed
        long cpu0 = mx.getThreadCpuTime(io);
        Thread.sleep(500);
        long cpuMs = TimeUnit.NANOSECONDS.toMillis(mx.getThreadCpuTime(io) - cpu0);
        // a thread still polling would use a good part of the 500 ms; a sleeping one uses next to nothing
        assertTrue(cpuMs < 50, "the idle I/O thread used " + cpuMs + " ms of CPU in 500 ms");
    }

    /** The id of the I/O thread of the client named {@code name} (the newest one, when several exist). */
    private static long ioThreadOf(ThreadMXBean mx, String name) {
        long found = -1;
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(IoResources.THREAD_PREFIX + "io-" + name + "-")) {
                found = Math.max(found, t.getThreadId());
            }
        }
        assertTrue(found >= 0, "no I/O thread for " + name);
        return found;
    }

    @Test
    void zeroBusyPollParksAtOnceAndStillGetsTheReply() throws Exception {
        QmpClient c = connect(Duration.ZERO);
        Future<?> server = answerAfter(20, "{\"status\": \"running\", \"running\": true}");
        assertTrue(c.call("query-status").path("running").asBoolean());
        server.get(5, TimeUnit.SECONDS);
    }

    @Test
    void errorReplyIsThrownUnwrappedFromTheSpin() throws Exception {
        QmpClient c = connect(QmpClientOptions.MAX_BUSY_POLL);
        Future<?> server = qemuSide.submit(() -> {
            conn.error(conn.readRequest(), "CommandNotFound", "The command nope has not been found");
            return null;
        });
        QmpErrorException e = assertThrows(QmpErrorException.class, () -> c.call("nope"));
        assertEquals("CommandNotFound", e.errorClass());
        assertEquals("nope", e.command());
        server.get(5, TimeUnit.SECONDS);
    }

    @Test
    void disconnectWhileSpinningFailsTheCall() throws Exception {
        QmpClient c = connect(QmpClientOptions.MAX_BUSY_POLL);
        Future<?> server = qemuSide.submit(() -> {
            conn.readRequest();
            conn.close();
            return null;
        });
        QmpDisconnectedException e = assertThrows(QmpDisconnectedException.class, () -> c.call("query-status"));
        assertEquals("query-status", e.command());
        server.get(5, TimeUnit.SECONDS);
    }

    @Test
    void busyPollIsValidated() {
        assertEquals(QmpClientOptions.DEFAULT_BUSY_POLL, QmpClientOptions.defaults().busyPoll());
        assertThrows(IllegalArgumentException.class,
                () -> QmpClientOptions.builder().busyPoll(Duration.ofNanos(-1)).build());
        assertThrows(IllegalArgumentException.class, () -> QmpClientOptions.builder()
                .busyPoll(QmpClientOptions.MAX_BUSY_POLL.plusNanos(1)).build());
        QmpClientOptions o = QmpClientOptions.builder().busyPoll(Duration.ofMillis(7)).build();
        assertEquals(Duration.ofMillis(7), o.toBuilder().build().busyPoll());
    }
}

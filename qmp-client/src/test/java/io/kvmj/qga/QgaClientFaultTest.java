package io.kvmj.qga;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.qga.FakeAgent.Conn;
import io.kvmj.qga.FakeAgent.Request;
import io.kvmj.qga.model.GuestExecResult;
import io.kvmj.qga.model.GuestOsInfo;
import io.kvmj.qga.model.GuestShutdownMode;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Fault injection against a scripted fake agent: stale data, split replies, silence, garbage, disconnects. */
@Timeout(60)
class QgaClientFaultTest {
    private static final QgaClientOptions FAST = QgaClientOptions.builder().syncTimeout(Duration.ofMillis(400))
            .commandTimeout(Duration.ofMillis(400)).shutdownReplyWait(Duration.ofMillis(300)).build();

    @TempDir
    Path dir;
    private FakeAgent agent;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    interface Script {
        void run() throws Exception;
    }

    @BeforeEach
    void listen() throws Exception {
        agent = FakeAgent.listen(dir.resolve("qga.sock"));
    }

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        agent.close();
    }

    private Future<?> script(Script s) {
        return pool.submit(() -> {
            s.run();
            return null;
        });
    }

    @Test
    void staleBytesAndOldSyncRepliesBeforeTheHandshakeAreDiscarded() throws Exception {
        Future<?> f = script(() -> {
            try (Conn c = agent.accept()) {
                // left in the pipe by an earlier session: a reply, garbage, an older delimited sync, a half line
                c.send("{\"return\": {\"host-name\": \"STALE\"}}\nnot json at all\n\u00ff{\"return\": 42}\n{\"retu");
                long id = c.expectSync();
                c.send("\u00ff{\"return\": " + (id + 1) + "}\n{\"return\": {\"host-name\": \"STALE2\"}}\n");
                c.answerSync(id);
                c.expect("guest-get-host-name");
                c.send("{\"return\": {\"host-name\": \"fresh\"}}\n");
                c.expect("guest-ping"); // no second handshake: the stream is in step
                c.send("{\"return\": {}}\n");
                c.read();
            }
        });
        try (QgaClient qga = QgaClient.open(agent.path, FAST)) {
            assertEquals("fresh", qga.hostName());
            qga.ping();
            assertEquals(1, qga.handshakes());
            assertEquals(6, qga.discardedFrames()); // 4 stale frames, 0xFF parse error, old sync + stray reply
        }
        f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void repliesSplitIntoSingleBytesAreReassembled() throws Exception {
        Future<?> f = script(() -> {
            try (Conn c = agent.accept()) {
                long id = c.expectSync();
                c.sendSlowly("{\"error\": {\"class\": \"GenericError\", \"desc\": \"x\"}}\n\u00ff{\"return\": " + id
                        + "}\n");
                c.expect("guest-get-osinfo");
                c.sendSlowly("{\"return\": {\"kernel-release\": \"6.1.0-9-amd64\", \"id\": \"debian\","
                        + " \"pretty-name\": \"Debian GNU/Linux 12 (bookworm)\", \"version-id\": \"12\","
                        + " \"machine\": \"x86_64\", \"future-field\": [1, 2]}}\r\n");
                c.read();
            }
        });
        try (QgaClient qga = QgaClient.open(agent.path, FAST.toBuilder().commandTimeout(Duration.ofSeconds(20))
                .syncTimeout(Duration.ofSeconds(20)).build())) {
            GuestOsInfo os = qga.osInfo();
            assertEquals("6.1.0-9-amd64", os.kernelRelease());
            assertEquals("debian", os.id());
            assertEquals("Debian GNU/Linux 12 (bookworm)", os.prettyName());
            assertEquals("12", os.versionId());
            assertNull(os.variant());
        }
        f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void silentAgentIsNotAnsweringAndALateReplyIsNeverTakenForTheNextCommand() throws Exception {
        CountDownLatch lateSent = new CountDownLatch(1);
        Future<?> f = script(() -> {
            try (Conn c = agent.accept()) {
                c.expectSync(); // never answered
                long id = c.expectSync(); // the next call synchronises again
                c.answerSync(id);
                c.expect("guest-get-host-name"); // answered only after the client gave up
                Thread.sleep(600);
                c.send("{\"return\": {\"host-name\": \"LATE\"}}\n");
                lateSent.countDown();
                id = c.expectSync();
                c.answerSync(id);
                c.expect("guest-get-host-name");
                c.send("{\"return\": {\"host-name\": \"right\"}}\n");
                c.read();
            }
        });
        try (QgaClient qga = QgaClient.open(agent.path, FAST)) {
            QgaNotAnsweringException sync = assertThrows(QgaNotAnsweringException.class, qga::ping);
            assertEquals("guest-sync-delimited", sync.command());
            assertEquals(Duration.ofMillis(400), sync.timeout());
            QgaNotAnsweringException cmd = assertThrows(QgaNotAnsweringException.class, qga::hostName);
            assertEquals("guest-get-host-name", cmd.command());
            assertTrue(lateSent.await(10, TimeUnit.SECONDS));
            assertEquals("right", qga.hostName());
        }
        f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void garbageReplyIsAProtocolErrorAndTheNextCallResynchronises() throws Exception {
        Future<?> f = script(() -> {
            try (Conn c = agent.accept()) {
                c.syncHandshake();
                c.expect("guest-ping");
                c.send("<html>garbage</html>\n");
                c.syncHandshake();
                c.expect("guest-ping");
                c.send("{\"unexpected\": true}\n");
                c.syncHandshake();
                c.expect("guest-ping");
                c.send("x".repeat(5000) + "\n");
                c.syncHandshake();
                c.expect("guest-ping");
                c.send("{\"return\": {}}\n");
                c.read();
            }
        });
        try (QgaClient qga = QgaClient.open(agent.path, FAST.toBuilder().maxReplyBytes(2048).build())) {
            assertTrue(assertThrows(QgaProtocolException.class, qga::ping).getMessage().contains("<html>garbage"));
            assertTrue(assertThrows(QgaProtocolException.class, qga::ping).getMessage().contains("neither"));
            assertTrue(assertThrows(QgaProtocolException.class, qga::ping).getMessage().contains("longer than"));
            qga.ping();
        }
        f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void unsolicitedBytesBetweenCommandsTriggerAHandshake() throws Exception {
        CountDownLatch sent = new CountDownLatch(1);
        Future<?> f = script(() -> {
            try (Conn c = agent.accept()) {
                c.syncHandshake();
                c.expect("guest-ping");
                c.send("{\"return\": {}}\n");
                c.send("{\"return\": {\"host-name\": \"UNSOLICITED\"}}\n");
                sent.countDown();
                c.syncHandshake();
                c.expect("guest-get-host-name");
                c.send("{\"return\": {\"host-name\": \"ok\"}}\n");
                c.read();
            }
        });
        try (QgaClient qga = QgaClient.open(agent.path, FAST)) {
            qga.ping();
            assertTrue(sent.await(10, TimeUnit.SECONDS));
            assertEquals("ok", qga.hostName());
        }
        f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void errorReplyIsTypedAndKeepsTheStreamInStep() throws Exception {
        Future<?> f = script(() -> {
            try (Conn c = agent.accept()) {
                c.syncHandshake();
                c.expect("guest-fsfreeze-freeze");
                c.send("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Command guest-fsfreeze-freeze has"
                        + " been disabled\"}}\n");
                Request pw = c.expect("guest-set-user-password");
                assertEquals("root", pw.arguments().path("username").asText());
                assertEquals("s3cr\u00e9t", new String(Base64.getDecoder().decode(
                        pw.arguments().path("password").asText()), StandardCharsets.UTF_8));
                assertFalse(pw.arguments().path("crypted").asBoolean(true));
                c.send("{\"error\": {\"class\": \"GenericError\", \"desc\": \"chpasswd failed\"}}\n");
                c.read();
            }
        });
        try (QgaClient qga = QgaClient.open(agent.path, FAST)) {
            QgaErrorException e = assertThrows(QgaErrorException.class, qga::fsfreezeFreeze);
            assertEquals("CommandNotFound", e.errorClass());
            assertTrue(e.commandNotFound());
            assertEquals("guest-fsfreeze-freeze", e.command());
            QgaErrorException pw = assertThrows(QgaErrorException.class,
                    () -> qga.setUserPassword("root", "s3cr\u00e9t", false));
            assertEquals("chpasswd failed", pw.description());
        }
        f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void shutdownWithoutReplyIsSuccessAnErrorReplyIsThrownAndAClosedSocketIsSuccess() throws Exception {
        Future<?> f = script(() -> {
            try (Conn c = agent.accept()) {
                c.syncHandshake();
                Request r = c.expect("guest-shutdown");
                assertEquals("reboot", r.arguments().path("mode").asText());
                // success: the agent says nothing
                c.syncHandshake();
                c.expect("guest-shutdown");
                c.send("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Command guest-shutdown has been"
                        + " disabled\"}}\n");
                c.expect("guest-shutdown");
            } // the guest powers off: the socket closes
            try (Conn c = agent.accept()) { // QEMU again (e.g. restarted): the client reconnects
                c.syncHandshake();
                c.expect("guest-ping");
                c.send("{\"return\": {}}\n");
                c.read();
            }
        });
        try (QgaClient qga = QgaClient.open(agent.path, FAST.toBuilder().shutdownReplyWait(Duration.ofSeconds(5))
                .build())) {
            long t0 = System.nanoTime();
            qga.shutdown(GuestShutdownMode.REBOOT);
            assertTrue(System.nanoTime() - t0 >= Duration.ofSeconds(5).toNanos() - 1_000_000);
            QgaErrorException e = assertThrows(QgaErrorException.class, () -> qga.shutdown(GuestShutdownMode.HALT));
            assertTrue(e.commandNotFound());
            qga.shutdown(GuestShutdownMode.POWERDOWN);
            assertFalse(qga.isConnected());
            qga.ping();
        }
        f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void connectionClosedMidCommandIsGuestGoneAndTheNextCallReconnects() throws Exception {
        Future<?> f = script(() -> {
            try (Conn c = agent.accept()) {
                c.syncHandshake();
                c.expect("guest-info");
            }
            try (Conn c = agent.accept()) {
                c.syncHandshake();
                c.expect("guest-ping");
                c.send("{\"return\": {}}\n");
            } // and QEMU goes away between two commands
        });
        try (QgaClient qga = QgaClient.open(agent.path, FAST)) {
            QgaGuestGoneException e = assertThrows(QgaGuestGoneException.class, qga::info);
            assertEquals(agent.path, e.socket());
            qga.ping();
            f.get(10, TimeUnit.SECONDS);
            agent.close(); // QEMU gone: no listener, socket file removed
            assertThrows(QgaGuestGoneException.class, qga::ping);
            assertThrows(QgaGuestGoneException.class, qga::ping);
        }
    }

    @Test
    void missingSocketAndRefusedSocketAreGuestGone() throws Exception {
        QgaGuestGoneException missing = assertThrows(QgaGuestGoneException.class,
                () -> QgaClient.open(dir.resolve("nope.sock")));
        assertTrue(missing.getMessage().contains("nope.sock"));
        Path stale = dir.resolve("stale.sock");
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(stale));
        s.close(); // the file stays, nobody listens: ECONNREFUSED
        assertTrue(Files.exists(stale));
        assertThrows(QgaGuestGoneException.class, () -> QgaClient.open(stale));
    }

    @Test
    void closeFromAnotherThreadWakesAWaitingCall() throws Exception {
        Future<?> f = script(() -> {
            try (Conn c = agent.accept()) {
                c.syncHandshake();
                c.expect("guest-ping");
                c.read();
            }
        });
        QgaClient qga = QgaClient.open(agent.path, FAST.toBuilder().commandTimeout(Duration.ofSeconds(30)).build());
        Future<?> call = pool.submit(qga::ping);
        Thread.sleep(300);
        qga.close();
        Exception e = assertThrows(Exception.class, () -> call.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof QgaClosedException, () -> String.valueOf(e.getCause()));
        assertThrows(QgaClosedException.class, qga::ping);
        f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void execRequestAndStatusOnTheWire() throws Exception {
        byte[] input = {0, 1, (byte) 0xFF, '\n', 'x'};
        Future<?> f = script(() -> {
            try (Conn c = agent.accept()) {
                c.syncHandshake();
                Request r = c.expect("guest-exec");
                assertEquals("/bin/sh", r.arguments().path("path").asText());
                assertEquals("[\"-c\",\"cat\"]", r.arguments().path("arg").toString());
                assertEquals("[\"A=b c\"]", r.arguments().path("env").toString());
                assertArrayEquals(input, Base64.getDecoder().decode(r.arguments().path("input-data").asText()));
                assertTrue(r.arguments().path("capture-output").asBoolean());
                c.send("{\"return\": {\"pid\": 777}}\n");
                assertEquals(777, c.expect("guest-exec-status").arguments().path("pid").asLong());
                c.send("{\"return\": {\"exited\": false}}\n");
                c.expect("guest-exec-status");
                c.send("{\"return\": {\"exited\": true, \"exitcode\": 0, \"out-data\": \""
                        + Base64.getEncoder().encodeToString(input) + "\", \"out-truncated\": true,"
                        + " \"err-data\": \"ZXJyCg==\", \"err-truncated\": false}}\n");
                c.expect("guest-exec-status");
                c.send("{\"return\": {\"exited\": true, \"out-data\": \"%%%\"}}\n");
                c.read();
            }
        });
        try (QgaClient qga = QgaClient.open(agent.path, FAST)) {
            GuestExecResult r = qga.exec(io.kvmj.qga.model.GuestExecRequest.builder("/bin/sh", "-c", "cat")
                    .env("A", "b c").stdin(input).timeout(Duration.ofSeconds(10)).build());
            assertEquals(777, r.pid());
            assertTrue(r.success());
            assertArrayEquals(input, r.stdout());
            assertTrue(r.stdoutTruncated());
            assertEquals("err\n", r.stderrText());
            assertFalse(r.stderrTruncated());
            assertThrows(QgaProtocolException.class, () -> qga.execStatus(777));
        }
        f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void genericCallOfAnUnknownCommandReturnsTheRawValue() throws Exception {
        Future<?> f = script(() -> {
            try (Conn c = agent.accept()) {
                c.syncHandshake();
                Request r = c.expect("guest-get-users");
                assertTrue(r.arguments().isMissingNode());
                c.send("{\"return\": [{\"user\": \"root\", \"login-time\": 1.5}]}\n");
                c.read();
            }
        });
        try (QgaClient qga = QgaClient.open(agent.path, FAST)) {
            assertEquals("root", qga.call("guest-get-users", null).get(0).path("user").asText());
        }
        f.get(10, TimeUnit.SECONDS);
    }
}

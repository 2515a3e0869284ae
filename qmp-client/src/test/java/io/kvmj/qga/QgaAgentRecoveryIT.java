package io.kvmj.qga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts, stops and freezes the real {@code qemu-ga} under a connected client: the client reconnects after a
 * restart, tells a silent agent ({@link QgaNotAnsweringException}) from a missing one
 * ({@link QgaGuestGoneException}), and after a hang never takes the replies queued meanwhile as new answers.
 */
@Timeout(120)
class QgaAgentRecoveryIT {
    private static final QgaClientOptions OPTIONS = QgaClientOptions.builder().syncTimeout(Duration.ofSeconds(1))
            .commandTimeout(Duration.ofSeconds(1)).build();

    @TempDir
    Path dir;
    QgaAgentProcess agent;

    @BeforeEach
    void start() throws Exception {
        agent = QgaAgentProcess.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
    }

    @Test
    void clientSurvivesAnAgentRestart() throws Exception {
        try (QgaClient qga = QgaClient.open(agent.socket, OPTIONS)) {
            String host = qga.hostName();
            assertEquals(1, qga.connects());
            agent.restart();
            assertEquals(host, qga.hostName()); // the old connection is found closed before sending: reconnect
            assertEquals(2, qga.connects());
            agent.restart();
            assertEquals(0, qga.exec(List.of("true"), Duration.ofSeconds(30)).exitCode());
            assertEquals(3, qga.connects());
            assertEquals(3, qga.handshakes());
        }
    }

    @Test
    void stoppedAgentIsGuestGoneUntilItIsBack() throws Exception {
        try (QgaClient qga = QgaClient.open(agent.socket, OPTIONS)) {
            qga.ping();
            agent.stop();
            assertTrue(Files.exists(agent.socket), "the socket file stays behind: connect is refused");
            QgaGuestGoneException e = assertThrows(QgaGuestGoneException.class, qga::ping);
            assertEquals(agent.socket, e.socket());
            assertThrows(QgaGuestGoneException.class, qga::ping);
            assertThrows(QgaGuestGoneException.class, () -> QgaClient.open(agent.socket, OPTIONS));
            agent.restart();
            qga.ping();
        }
    }

    @Test
    void hungAgentIsNotAnsweringAndItsQueuedRepliesAreDiscardedAfterwards() throws Exception {
        try (QgaClient qga = QgaClient.open(agent.socket, OPTIONS)) {
            String version = qga.info().version();
            agent.suspend();
            // the command is sent (the stream was in step), its reply is queued behind the hang
            QgaNotAnsweringException cmd = assertThrows(QgaNotAnsweringException.class, qga::hostName);
            assertEquals("guest-get-host-name", cmd.command());
            // now every call first tries to resynchronise, and those handshakes queue up too
            QgaNotAnsweringException sync = assertThrows(QgaNotAnsweringException.class, qga::ping);
            assertEquals("guest-sync-delimited", sync.command());
            assertThrows(QgaNotAnsweringException.class, qga::osInfo);
            long discardedBefore = qga.discardedFrames();
            agent.resume();
            // the agent now answers host-name and both old handshakes first; none of that may be taken
            assertEquals(version, qga.info().version());
            // host-name reply + 2 x (parse error for 0xFF + old sync reply) + this handshake's parse error
            assertTrue(qga.discardedFrames() - discardedBefore >= 6, () -> "discarded " + qga.discardedFrames());
            assertEquals(1, qga.connects());
            assertEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim(), qga.hostName());
            qga.ping();
        }
    }

    @Test
    void awaitAgentWaitsForAnAgentThatComesUpLate() throws Exception {
        try (QgaClient qga = QgaClient.open(agent.socket, OPTIONS)) {
            agent.suspend();
            assertThrows(QgaNotAnsweringException.class, () -> qga.awaitAgent(Duration.ofMillis(2500)));
            Thread resumer = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                    agent.resume();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            resumer.start();
            qga.awaitAgent(Duration.ofSeconds(30));
            resumer.join();
            qga.ping();
        }
    }
}

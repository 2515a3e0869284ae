package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against real QEMU ({@code -machine none}): both ways to meet QEMU, commands, events, errors, quit. */
class QmpClientIT {
    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void connectModeVersionStatusStopContErrorSchemaQuit() throws Exception {
        Path sock = dir.resolve("qmp.sock");
        try (QemuProcess qemu = QemuProcess.start("unix:" + sock + ",server=on,wait=off", dir)) {
            // connect() retries while QEMU has not created the socket yet
            QmpClient qmp = QmpClient.connect(sock, QmpClientOptions.defaults()).get(30, TimeUnit.SECONDS);
            try {
                QmpGreeting g = qmp.greeting();
                assertTrue(g.version().major() >= 2, g.toString());
                assertTrue(g.oobOffered(), "QEMU over a unix socket offers oob: " + g);
                assertTrue(g.oobEnabled(), g.toString());

                JsonNode version = qmp.call("query-version");
                assertEquals(g.version().major(), version.path("qemu").path("major").asInt());
                assertEquals(g.version().minor(), version.path("qemu").path("minor").asInt());

                // -machine none starts running ("prelaunch" only with -S)
                JsonNode status = qmp.call("query-status");
                assertTrue(status.path("running").asBoolean(), status.toString());

                List<QmpEvent> seen = new CopyOnWriteArrayList<>();
                qmp.subscribe(seen::add);
                EventWaiter stop = qmp.awaitEvent("STOP", T);
                qmp.call("stop");
                assertEquals("STOP", stop.await().name());
                assertFalse(qmp.call("query-status").path("running").asBoolean());
                assertEquals("paused", qmp.call("query-status").path("status").asText());

                EventWaiter resume = qmp.awaitEvent("RESUME", T);
                qmp.call("cont");
                assertNotNull(resume.await().timestamp());
                assertTrue(qmp.call("query-status").path("running").asBoolean());

                QmpErrorException e = assertThrows(QmpErrorException.class, () -> qmp.call("no-such-command"));
                assertEquals("CommandNotFound", e.errorClass());
                assertEquals("no-such-command", e.command());
                assertTrue(qmp.isOpen(), "an error reply must not break the session");

                assertTrue(qmp.hasCommand("query-status"));
                assertFalse(qmp.hasCommand("no-such-command"));
                assertTrue(qmp.hasArgument("device_del", "id"));
                assertTrue(qmp.hasArgument("blockdev-add", "node-name"));
                assertTrue(qmp.hasArgument("blockdev-add", "filename"), "union variant member (file driver)");
                assertFalse(qmp.hasArgument("device_del", "no-such-arg"));

                EventWaiter shutdown = qmp.awaitEvent("SHUTDOWN", T);
                qmp.call("quit");
                assertEquals("SHUTDOWN", shutdown.await().name());
                qmp.closeFuture().get(20, TimeUnit.SECONDS); // completes normally: quit is a normal end
                assertFalse(qmp.isOpen());
                assertTrue(qemu.waitForExit(20), qemu.diagnostics());
                assertTrue(seen.stream().anyMatch(ev -> ev.name().equals("STOP")), seen.toString());
                assertThrows(QmpDisconnectedException.class, () -> qmp.call("query-status"));
            } finally {
                qmp.close();
            }
        }
    }

    @Test
    void listenModeQemuConnectsToUs() throws Exception {
        Path sock = dir.resolve("listen.sock");
        try (QmpListener listener = QmpListener.listen(sock);
                QemuProcess qemu = QemuProcess.start("unix:" + sock, dir)) {
            try (QmpClient qmp = listener.accept(T).get(30, TimeUnit.SECONDS)) {
                listener.close(); // accepted client survives the listener
                assertEquals(qmp.greeting().version().major(),
                        qmp.call("query-version").path("qemu").path("major").asInt(), qemu.diagnostics());
                assertTrue(qmp.call("query-status").has("status"));
                qmp.call("quit");
                qmp.closeFuture().get(20, TimeUnit.SECONDS);
                assertTrue(qemu.waitForExit(20), qemu.diagnostics());
            }
        }
    }

    @Test
    void outOfBandCommandAgainstRealQemu() throws Exception {
        Path sock = dir.resolve("oob.sock");
        try (QemuProcess qemu = QemuProcess.start("unix:" + sock + ",server=on,wait=off", dir);
                QmpClient qmp = QmpClient.connect(sock, QmpClientOptions.defaults()).get(30, TimeUnit.SECONDS)) {
            assertTrue(qmp.greeting().oobEnabled(), qemu.diagnostics());
            assertTrue(qmp.schema().get(20, TimeUnit.SECONDS).allowsOob("migrate-pause"));
            // reaches QEMU's oob dispatcher: refused only because no postcopy migration runs
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> qmp.executeOob("migrate-pause", null, T).get(20, TimeUnit.SECONDS));
            QmpErrorException err = (QmpErrorException) e.getCause();
            assertTrue(err.description().contains("postcopy"), err.getMessage());
            assertTrue(qmp.call("query-status").path("running").asBoolean());
        }
    }

    @Test
    void qemuKilledMidSessionIsAnAbnormalEndThatFailsEverything() throws Exception {
        Path sock = dir.resolve("kill.sock");
        try (QemuProcess qemu = QemuProcess.start("unix:" + sock + ",server=on,wait=off", dir);
                QmpClient qmp = QmpClient.connect(sock, QmpClientOptions.defaults()).get(30, TimeUnit.SECONDS)) {
            EventWaiter never = qmp.awaitEvent("SHUTDOWN", T);
            qemu.process.destroyForcibly();
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> qmp.closeFuture().get(20, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof QmpDisconnectedException, e.toString());
            assertNotNull(e.getCause().getCause(), "carries the cause (EOF or I/O error)");
            assertThrows(QmpDisconnectedException.class, never::await);
            assertThrows(QmpDisconnectedException.class, () -> qmp.call("query-status"));
            assertFalse(qmp.isOpen());
        }
    }
}

package io.kvmj.qga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvmj.testsupport.HostTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent channel as QEMU really serves it ({@code -chardev socket,server=on,wait=off} behind a
 * {@code virtserialport} named {@code org.qemu.guest_agent.0}) on a paused q35 machine: QEMU accepts the
 * connection but no agent runs in the (never started) guest, so the client reports "not answering"; once QEMU is
 * killed it reports "guest gone".
 */
@Timeout(120)
class QgaQemuChannelIT {
    private static final String QEMU = "qemu-system-x86_64";

    @TempDir
    Path dir;

    @Test
    void pausedGuestIsNotAnsweringAndDeadQemuIsGuestGone() throws Exception {
        assumeQemu();
        Path sock = dir.resolve("qga.sock");
        List<String> argv = List.of(QEMU, "-machine", "q35", "-accel", "tcg", "-S", "-nodefaults", "-display",
                "none", "-m", "64", "-chardev", "socket,path=" + sock + ",server=on,wait=off,id=qga0",
                "-device", "virtio-serial-pci,id=vser0",
                "-device", "virtserialport,bus=vser0.0,chardev=qga0,name=org.qemu.guest_agent.0");
        Process qemu = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(sock)) {
                if (!qemu.isAlive() || System.nanoTime() > deadline) {
                    fail("QEMU did not create " + sock + ": " + Files.readString(dir.resolve("qemu.log")));
                }
                Thread.sleep(20);
            }
            QgaClientOptions opts = QgaClientOptions.builder().syncTimeout(Duration.ofMillis(700))
                    .commandTimeout(Duration.ofMillis(700)).build();
            try (QgaClient qga = QgaClient.open(sock, opts)) {
                QgaNotAnsweringException silent = assertThrows(QgaNotAnsweringException.class, qga::ping);
                assertEquals("guest-sync-delimited", silent.command());
                assertThrows(QgaNotAnsweringException.class, () -> qga.awaitAgent(Duration.ofMillis(1500)));
                assertTrue(qga.isConnected());
                qemu.destroyForcibly();
                assertTrue(qemu.waitFor(30, TimeUnit.SECONDS));
                assertThrows(QgaGuestGoneException.class, qga::ping);
                assertThrows(QgaGuestGoneException.class, qga::ping);
            }
            assertThrows(QgaGuestGoneException.class, () -> QgaClient.open(sock, opts));
        } finally {
            qemu.destroyForcibly();
            qemu.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void assumeQemu() {
        HostTools.require(QEMU);
    }
}

package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.launcher.cli.CliProcess.Result;
import io.kvmj.launcher.process.SocketClaim;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code kvmj list} and {@code kvmj info} on a real (paused) q35 guest with user networking: the state QEMU reports,
 * vCPUs, memory, the ssh port QEMU bound for the default forward to guest port 22 (it accepts connections), the
 * agent channel, uptime; and the state when QMP sockets are held (by a foreign client: the next socket is asked; by
 * other kvmj clients: unknown).
 */
class ListInfoCliIT {
    @Test
    void listAndInfoShowStateSizesAndAddresses() throws Exception {
        Path runtime = Files.createTempDirectory(Path.of("/tmp"), "kvmj-info-");
        CliProcess cli = CliProcess.require(runtime);
        long pid = -1;
        try {
            Result run = cli.run(90, "run", "--name", "inf1", "--paused", "--memory", "96", "--vcpus", "2",
                    "--network", "user", "--accel", "tcg", "--detach", "--json");
            assertEquals(0, run.exit(), run.toString());
            pid = run.json().path("pid").asLong();

            Result list = cli.run(60, "list", "--json");
            assertEquals(0, list.exit(), list.toString());
            JsonNode g = list.json().get(0);
            assertEquals("inf1", g.path("name").asText());
            assertEquals("prelaunch", g.path("state").asText(), "-S: QEMU's own run state");
            assertEquals(2, g.path("vcpus").asInt());
            assertEquals(96, g.path("memoryMiB").asInt());
            assertTrue(g.path("agentChannel").asBoolean(), list.out());
            String ssh = g.path("ssh").asText();
            assertTrue(ssh.matches("127\\.0\\.0\\.1:\\d+"), "a free port forwarded to guest port 22: " + ssh);
            int port = Integer.parseInt(ssh.substring(ssh.indexOf(':') + 1));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000); // QEMU's slirp listens on it
            }
            assertTrue(g.path("uptimeSeconds").asLong() >= 0);

            Result text = cli.run(60, "list");
            assertTrue(text.out().contains("prelaunch") && text.out().contains(ssh) && text.out().contains("96M"),
                    text.toString());

            // a foreign client (not kvmj, no claim) on qmp.sock: QEMU does not greet list there, it asks on events.sock
            Path dir = runtime.resolve("inf1");
            try (SocketChannel foreign = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("qmp.sock")))) {
                Result past = cli.run(60, "list", "--json");
                assertEquals("prelaunch", past.json().get(0).path("state").asText(), past.toString());
                // both sockets claimed by other kvmj clients: skipped at once, the state is unknown
                try (SocketClaim a = SocketClaim.claim(dir.resolve("qmp.sock"));
                        SocketClaim b = SocketClaim.claim(dir.resolve("events.sock"))) {
                    Result busy = cli.run(60, "list");
                    assertTrue(busy.out().contains(" unknown "), busy.toString());
                }
            }

            Result info = cli.run(60, "info", "inf1");
            assertEquals(0, info.exit(), info.toString());
            assertTrue(info.out().contains("kvmj ssh inf1") && info.out().contains("qga.sock"), info.out());
            Result missing = cli.run(60, "info", "nope");
            assertEquals(1, missing.exit(), missing.toString());

            Result stop = cli.run(60, "stop", "inf1", "--force");
            assertEquals(0, stop.exit(), stop.toString());
        } finally {
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            try (var s = Files.walk(runtime)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

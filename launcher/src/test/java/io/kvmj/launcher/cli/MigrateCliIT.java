package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.launcher.ConsoleConnection;
import io.kvmj.launcher.migrate.MigrationTestGuest;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kvmj migrate} end to end with the real CLI jar and QEMU (TCG): a detached busybox guest moves to a new
 * name, then over TCP on 127.0.0.1 to a guest started with {@code kvmj run --incoming}; a Ctrl-C'd migration leaves
 * it where it was. Marker and counter loop are checked over the console socket after each step.
 */
class MigrateCliIT {
    @TempDir
    Path tmp;

    @Test
    void migrateToANewNameOverTcpAndInterrupted() throws Exception {
        Path runtime = Path.of("/tmp", "kvmj-mcli-" + ProcessHandle.current().pid());
        CliProcess cli = CliProcess.require(runtime);
        MigrationTestGuest tg = new MigrationTestGuest(tmp);
        List<String> boot = List.of("--machine", "pc", "--memory", "192", "--accel", "tcg", "--kernel",
                tg.kernel.kernel().toString(), "--initrd", tg.initrd.toString(), "--append", MigrationTestGuest.APPEND);
        try {
            CliProcess.Result r = cli.run(120, concat(List.of("run", "--name", "mc-a", "--detach"), boot));
            assertEquals(0, r.exit(), r.toString());
            awaitLog(runtime.resolve("mc-a"), MigrationTestGuest.READY);

            CliProcess.Result bad = cli.run(60, "migrate", "nosuch", "--to", "x");
            assertEquals(2, bad.exit(), bad.toString());
            assertEquals(1, bad.err().strip().lines().count(), bad.err());

            CliProcess.Result moved = cli.run(300, "migrate", "mc-a", "--to", "mc-b", "--json",
                    "--max-downtime", "500");
            assertEquals(0, moved.exit(), moved.toString());
            JsonNode j = moved.json();
            assertEquals("mc-b", j.path("destination").asText());
            assertTrue(j.path("transferredBytes").asLong() > 0, moved.out());
            assertEquals("completed", j.path("qemu").path("status").asText(), moved.out());
            assertFalse(Files.exists(runtime.resolve("mc-a")), "source runtime dir gone");
            assertAlive(runtime.resolve("mc-b"), tg.marker);

            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String uri = "tcp:127.0.0.1:" + port;
            r = cli.run(120, concat(List.of("run", "--name", "mc-c", "--detach", "--incoming", uri), boot));
            assertEquals(0, r.exit(), r.toString());
            CliProcess.Result tcp = cli.run(300, "migrate", "mc-b", "--to", uri);
            assertEquals(0, tcp.exit(), tcp.toString());
            assertTrue(tcp.out().contains("now runs at " + uri), tcp.out());
            assertFalse(Files.exists(runtime.resolve("mc-b")), "source runtime dir gone");
            assertAlive(runtime.resolve("mc-c"), tg.marker);

            Process p = cli.start("migrate", "mc-c", "--to", "mc-d", "--speed", "1");
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!Files.exists(runtime.resolve("mc-d").resolve("qmp.sock")) && System.nanoTime() < deadline) {
                MigrationTestGuest.sleep(100);
            }
            MigrationTestGuest.sleep(3000);
            ProcessHandle.of(p.pid()).orElseThrow(); // still migrating
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            CliProcess.Result ctrlC = CliProcess.finish(p, 120, "kvmj migrate (Ctrl-C)");
            assertEquals(130, ctrlC.exit(), ctrlC.toString());
            assertTrue(ctrlC.err().contains("cancelled (interrupted (Ctrl-C))")
                    && ctrlC.err().contains("keeps running on the source"), ctrlC.err());
            assertFalse(Files.exists(runtime.resolve("mc-d")), "destination runtime dir removed");
            assertAlive(runtime.resolve("mc-c"), tg.marker);

            Path taken = tmp.resolve("taken");
            Files.writeString(taken, "x");
            CliProcess.Result refused = cli.run(60, "save", "mc-c", taken.toString());
            assertEquals(2, refused.exit(), refused.toString());
            assertTrue(refused.err().contains("does not overwrite"), refused.err());
            Path save = tmp.resolve("mc-c.kvmjsave");
            CliProcess.Result saved = cli.run(300, "save", "mc-c", save.toString());
            assertEquals(0, saved.exit(), saved.toString());
            assertFalse(Files.exists(runtime.resolve("mc-c")), "saved guest stopped");
            CliProcess.Result restored = cli.run(300, "restore", save.toString(), "--name", "mc-r", "--json");
            assertEquals(0, restored.exit(), restored.toString());
            assertEquals("mc-r", restored.json().path("name").asText());
            assertAlive(runtime.resolve("mc-r"), tg.marker);
        } finally {
            for (String g : List.of("mc-a", "mc-b", "mc-c", "mc-d", "mc-r")) {
                if (Files.exists(runtime.resolve(g))) {
                    cli.run(60, "stop", g, "--force");
                }
            }
            runtime.toFile().delete(); // the base directory, when empty
        }
    }

    static String[] concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }

    static void awaitLog(Path dir, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            Path log = dir.resolve("console.log");
            if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(text)) {
                return;
            }
            MigrationTestGuest.sleep(200);
        }
        throw new AssertionError("no '" + text + "' in " + dir.resolve("console.log"));
    }

    /** Over the guest's console socket: the marker is intact and the counter advances. */
    static void assertAlive(Path dir, String marker) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        try (ConsoleConnection c = ConsoleConnection.connect(dir.resolve("console.sock"), Duration.ofSeconds(10),
                b -> {
                    synchronized (seen) {
                        seen.writeBytes(b);
                    }
                }, "probe")) {
            long first = probe(c, seen, marker);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long later;
            do {
                MigrationTestGuest.sleep(1500);
                later = probe(c, seen, marker);
            } while (later <= first && System.nanoTime() < deadline);
            assertTrue(later > first, "counter advanced: " + first + " then " + later);
        }
    }

    static long probe(ConsoleConnection c, ByteArrayOutputStream seen, String marker) throws Exception {
        int n = MigrationTestGuest.nonce();
        c.send(MigrationTestGuest.probeCommand(n));
        Pattern p = Pattern.compile(MigrationTestGuest.PROBE_REPLY.formatted(n));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            String text;
            synchronized (seen) {
                text = seen.toString(StandardCharsets.ISO_8859_1);
            }
            Matcher m = p.matcher(text);
            if (m.find()) {
                assertEquals(marker, m.group(1));
                return Long.parseLong(m.group(2));
            }
            MigrationTestGuest.sleep(100);
        }
        synchronized (seen) {
            throw new AssertionError("no reply " + p + " on the console: " + seen.toString(StandardCharsets.ISO_8859_1));
        }
    }
}

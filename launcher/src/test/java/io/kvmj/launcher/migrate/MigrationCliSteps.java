package io.kvmj.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.spec.GuestSpecJson;
import io.kvmj.launcher.SpecFile;
import io.kvmj.launcher.cli.CliProcess;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The CLI half of {@link MigrationChainIT}: {@code kvmj migrate/snapshot/save/restore} with the real CLI jar on the
 * guest the API steps left behind (detached, so any process can take it over).
 */
final class MigrationCliSteps {
    private MigrationCliSteps() {
    }

    private static void assertAlive(MigrationTestGuest tg, Path runtime, String name) {
        try (GuestConsole c = GuestConsole.socket(runtime.resolve(name))) {
            tg.assertAlive(c);
        }
    }

    private static Path diskOf(Path runtime, String name) {
        var d = SpecFile.read(runtime.resolve(name)).orElseThrow().disks().get(0);
        return ((DiskSource.File) d.source()).path();
    }

    /** Same host with {@code --json}, then over TCP on 127.0.0.1 to {@code kvmj run --spec … --incoming}. */
    static void sameHostThenTcp(MigrationChainIT it, CliProcess cli, Path runtime, Path tmp) throws Exception {
        MigrationTestGuest tg = it.guest();
        CliProcess.Result bad = cli.run(60, "migrate", "nosuch", "--to", "x");
        assertEquals(2, bad.exit(), bad.toString());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());

        // two concurrent 'kvmj disk attach' (read-only raw disks): both recorded, each in a spare root port
        List<String> patterns = List.of("hA-" + tg.marker, "hB-" + tg.marker);
        List<Process> attaching = new java.util.ArrayList<>();
        for (String pattern : patterns) {
            Path img = tmp.resolve(pattern + ".raw");
            byte[] b = new byte[1 << 20];
            System.arraycopy(pattern.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b, 0, pattern.length());
            Files.write(img, b);
            attaching.add(cli.start("disk", "attach", it.cliName(), "path=" + img + ",format=raw,readonly=on"));
        }
        for (Process p : attaching) {
            CliProcess.Result a = CliProcess.finish(p, 120, "kvmj disk attach");
            assertEquals(0, a.exit(), a.toString());
        }
        var recorded = SpecFile.read(runtime.resolve(it.cliName())).orElseThrow().disks();
        assertEquals(List.of("d0", "disk0", "disk1"), recorded.stream().map(d -> d.id()).sorted().toList(),
                "both attaches recorded: " + recorded);
        assertEquals(java.util.Set.of("hotplug0", "hotplug1"), recorded.stream().filter(d -> d.pciSlot() != null)
                .map(d -> d.pciSlot().bus()).collect(java.util.stream.Collectors.toSet()), recorded.toString());
        try (GuestConsole c = GuestConsole.socket(runtime.resolve(it.cliName()))) {
            assertEquals(new java.util.TreeSet<>(patterns), MigrationTestGuest.readHotplugged(c, 2));
        }

        CliProcess.Result moved = cli.run(300, "migrate", it.cliName(), "--to", "mc-b", "--json",
                "--max-downtime", "500");
        assertEquals(0, moved.exit(), moved.toString());
        JsonNode j = moved.json();
        assertEquals("mc-b", j.path("destination").asText());
        assertTrue(j.path("transferredBytes").asLong() > 0, moved.out());
        assertEquals("completed", j.path("qemu").path("status").asText(), moved.out());
        assertFalse(Files.exists(runtime.resolve(it.cliName())), "source runtime dir gone");
        it.cliName("mc-b");
        assertAlive(tg, runtime, "mc-b");
        // the destination was started with the hot-plugged disks in their root ports: QEMU has them, the guest reads them
        CliProcess.Result blocks = cli.run(60, "qmp", "mc-b", "query-block");
        assertEquals(0, blocks.exit(), blocks.toString());
        List<String> qdevs = new java.util.ArrayList<>();
        blocks.json().forEach(b -> qdevs.add(b.path("qdev").asText().replaceAll("^/machine/peripheral/([^/]+).*$", "$1")));
        assertTrue(qdevs.containsAll(List.of("disk0", "disk1")), blocks.out());
        try (GuestConsole c = GuestConsole.socket(runtime.resolve("mc-b"))) {
            assertEquals(new java.util.TreeSet<>(patterns), MigrationTestGuest.readHotplugged(c, 2));
        }
        try (var qmp = io.kvmj.launcher.GuestRegistry.connect(io.kvmj.launcher.GuestRegistry.require("mc-b"),
                Duration.ofSeconds(10))) {
            MigrationChainIT.assertVncPassword(qmp); // the text password reached the CLI's destination
        }
        // detach is recorded too; disk0 stays for the rest of the chain (TCP, copy-storage, save/restore)
        CliProcess.Result detached = cli.run(120, "disk", "detach", "mc-b", "disk1");
        assertEquals(0, detached.exit(), detached.toString());
        var left = SpecFile.read(runtime.resolve("mc-b")).orElseThrow().disks();
        assertEquals(List.of("d0", "disk0"), left.stream().map(d -> d.id()).sorted().toList(), left.toString());
        try (GuestConsole c = GuestConsole.socket(runtime.resolve("mc-b"))) {
            it.hotplugged(MigrationTestGuest.readHotplugged(c, 1).iterator().next());
        }

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String uri = "tcp:127.0.0.1:" + port;
        Path spec = tmp.resolve("mc-c.json");
        // the user starts this destination: a display of its own, the password from a file (mc-b holds its port)
        Path pw = tmp.resolve("vnc.pw");
        Files.writeString(pw, MigrationChainIT.VNC_SECRET);
        var mcb = SpecFile.read(runtime.resolve("mc-b")).orElseThrow();
        Files.writeString(spec, GuestSpecJson.write(mcb.toBuilder().name("mc-c").vnc(io.kvmj.core.model.VncSpec
                .loopback(MigrationChainIT.freeVncDisplay()).withPasswordFile(pw)).build()));
        CliProcess.Result r = cli.run(120, "run", "--spec", spec.toString(), "--detach", "--incoming", uri);
        assertEquals(0, r.exit(), r.toString());
        // post-copy allowed (the waiting side accepts it): the guest carries kvmj's TCG padding, so no warning
        CliProcess.Result tcp = cli.run(300, "migrate", "mc-b", "--to", uri, "--postcopy");
        assertEquals(0, tcp.exit(), tcp.toString());
        assertFalse(tcp.err().contains("unreliable") || tcp.err().contains("padding"), tcp.err());
        assertTrue(tcp.out().contains("now runs at " + uri), tcp.out());
        assertFalse(Files.exists(runtime.resolve("mc-b")), "source runtime dir gone");
        it.cliName("mc-c");
        assertAlive(tg, runtime, "mc-c");
        try (GuestConsole c = GuestConsole.socket(runtime.resolve("mc-c"))) {
            assertEquals(java.util.Set.of(it.hotplugged()), MigrationTestGuest.readHotplugged(c, 1));
        }

        CliProcess.Result remote = cli.run(60, "migrate", "mc-c", "--to", "tcp:127.0.0.1:1", "--copy-storage");
        assertEquals(2, remote.exit(), remote.toString());
        assertEquals(1, remote.err().strip().lines().count(), remote.err());
        assertTrue(remote.err().contains("--copy-storage works with --to NEWNAME"), remote.err());
    }

    /** Ctrl-C, {@code --copy-storage --disk-target}, {@code snapshot create|list|revert|delete}, save/restore. */
    static void ctrlCCopyStorageSnapshotSave(MigrationChainIT it, CliProcess cli, Path runtime, Path tmp)
            throws Exception {
        MigrationTestGuest tg = it.guest();
        Process p = cli.start("migrate", "mc-c", "--to", "mc-d", "--speed", "1");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!Files.exists(runtime.resolve("mc-d").resolve("qmp.sock")) && System.nanoTime() < deadline) {
            MigrationTestGuest.sleep(100);
        }
        MigrationTestGuest.sleep(2000); // the stream has begun (at 1 MiB/s it cannot be done)
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        CliProcess.Result ctrlC = CliProcess.finish(p, 120, "kvmj migrate (Ctrl-C)");
        assertEquals(130, ctrlC.exit(), ctrlC.toString());
        assertTrue(ctrlC.err().contains("cancelled (interrupted (Ctrl-C))")
                && ctrlC.err().contains("keeps running on the source"), ctrlC.err());
        assertFalse(Files.exists(runtime.resolve("mc-d")), "destination runtime dir removed");
        assertAlive(tg, runtime, "mc-c");

        Path srcImage = diskOf(runtime, "mc-c");
        String before = MigrationChainIT.sha256(srcImage);
        Path copy = tmp.resolve("cli-copy.qcow2");
        CliProcess.Result cs = cli.run(300, "migrate", "mc-c", "--to", "mc-e", "--copy-storage", "--disk-target",
                "d0=" + copy, "--json");
        assertEquals(0, cs.exit(), cs.toString());
        assertEquals(copy.toString(), cs.json().path("disks").path("d0").asText(), cs.out());
        assertEquals(copy, diskOf(runtime, "mc-e"));
        assertEquals(before, MigrationChainIT.sha256(srcImage), "source image untouched");
        try (GuestConsole c = GuestConsole.socket(runtime.resolve("mc-e"))) {
            assertEquals("after-" + tg.marker, MigrationTestGuest.readDisk(c, 8), "earlier data on the copy");
            MigrationTestGuest.writeDisk(c, 16, "cli-" + tg.marker);
            assertEquals("cli-" + tg.marker, MigrationTestGuest.readDisk(c, 16));
            tg.assertAlive(c);
        }

        CliProcess.Result created = cli.run(300, "snapshot", "create", "mc-e", "s1");
        assertEquals(0, created.exit(), created.toString());
        CliProcess.Result listed = cli.run(60, "snapshot", "list", "mc-e", "--json");
        assertEquals(0, listed.exit(), listed.toString());
        assertEquals(1, listed.json().size(), listed.out());
        assertEquals("s1", listed.json().get(0).path("tag").asText());
        try (GuestConsole c = GuestConsole.socket(runtime.resolve("mc-e"))) {
            c.send("echo changed > /run/marker\n");
            assertEquals("changed", MigrationTestGuest.probe(c).marker());
        }
        CliProcess.Result reverted = cli.run(300, "snapshot", "revert", "mc-e", "s1");
        assertEquals(0, reverted.exit(), reverted.toString());
        assertAlive(tg, runtime, "mc-e");
        assertEquals(0, cli.run(300, "snapshot", "delete", "mc-e", "s1").exit());
        CliProcess.Result missing = cli.run(60, "snapshot", "revert", "mc-e", "s1");
        assertEquals(2, missing.exit(), missing.toString());
        assertEquals(List.of("kvmj snapshot: no snapshot named 's1'"), missing.err().strip().lines().toList());

        Path taken = tmp.resolve("taken");
        Files.writeString(taken, "x");
        CliProcess.Result refused = cli.run(60, "save", "mc-e", taken.toString());
        assertEquals(2, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("does not overwrite"), refused.err());
        Path save = tmp.resolve("mc-e.kvmjsave");
        CliProcess.Result saved = cli.run(300, "save", "mc-e", save.toString());
        assertEquals(0, saved.exit(), saved.toString());
        assertFalse(Files.exists(runtime.resolve("mc-e")), "saved guest stopped");
        CliProcess.Result restored = cli.run(300, "restore", save.toString(), "--name", "mc-r", "--json");
        assertEquals(0, restored.exit(), restored.toString());
        assertEquals("mc-r", restored.json().path("name").asText());
        it.cliName("mc-r");
        assertAlive(tg, runtime, "mc-r");
        try (GuestConsole c = GuestConsole.socket(runtime.resolve("mc-r"))) {
            assertEquals(java.util.Set.of(it.hotplugged()), MigrationTestGuest.readHotplugged(c, 1),
                    "the hot-plugged disk is back after save/restore");
        }
    }
}

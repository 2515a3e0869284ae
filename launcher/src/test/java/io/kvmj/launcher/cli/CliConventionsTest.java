package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.launcher.migrate.TcgDirtyTracking;
import io.kvmj.launcher.testutil.RuntimeDirProperty;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exit codes, usage-error size, flag names in messages, JSON errors, memory units (issue 14, items 11-13). */
class CliConventionsTest {
    @TempDir
    Path tmp;

    @RegisterExtension
    final RuntimeDirProperty runtime = RuntimeDirProperty.at(() -> tmp.resolve("rt"));

    static InProcessCli.Run kvmj(String... args) {
        return InProcessCli.run(args);
    }

    @Test
    void memoryTakesQemuUnits() {
        for (String[] c : new String[][] {{"1G", "1024"}, {"64M", "64"}, {"2g", "2048"}, {"768", "768"}}) {
            InProcessCli.Run r = kvmj("run", "--name", "m", "--accel", "tcg", "--dry-run", "--memory", c[0]);
            assertEquals(0, r.exit(), r.toString());
            // a TCG guest that can move gets 8 KiB more (TcgDirtyTracking) once QEMU has pinned its board
            long padded = Long.parseLong(c[1]) * 1024 + TcgDirtyTracking.PAD_KIB;
            assertTrue(r.out().contains("-m size=" + padded + "K") || r.out().contains("-m size=" + c[1] + "M"),
                    c[0] + " -> " + r.out());
        }
        InProcessCli.Run bad = kvmj("run", "--name", "m", "--dry-run", "--memory", "1.5K");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.errLines() <= 2, "a usage error is one or two lines: " + bad);
        assertTrue(bad.err().contains("--memory"), bad.toString());
    }

    @Test
    void usageErrorsAreShortAndExit2() {
        InProcessCli.Run unknown = kvmj("run", "--name", "x", "--bogus");
        assertEquals(2, unknown.exit(), unknown.toString());
        assertTrue(unknown.errLines() <= 2, unknown.toString());
        assertTrue(unknown.err().startsWith("kvmj run: Unknown option: '--bogus'"), unknown.toString());
        assertEquals(2, kvmj().exit(), "bare kvmj is a usage error");
        assertEquals(2, kvmj("img").exit(), "kvmj img without a subcommand is a usage error");
        InProcessCli.Run chr = kvmj("run", "--name", "x", "--accel", "tcg", "--disk", "/dev/null", "--dry-run");
        assertEquals(2, chr.exit(), "a character device is not a disk: " + chr);
        assertTrue(chr.err().contains("neither an image file nor a block device") && chr.errLines() <= 2, chr.toString());
    }

    @Test
    void modelErrorsNameTheFlagAndExit2() {
        InProcessCli.Run cpus = kvmj("run", "--name", "x", "--dry-run", "--vcpus", "0");
        assertEquals(2, cpus.exit(), cpus.toString());
        assertTrue(cpus.err().startsWith("kvmj run: --vcpus 0: "), cpus.toString());
        InProcessCli.Run kernel = kvmj("run", "--name", "x", "--dry-run", "--accel", "tcg", "--kernel", "/no/such/vmlinuz");
        assertEquals(2, kernel.exit(), kernel.toString());
        assertTrue(kernel.err().startsWith("kvmj run: --kernel /no/such/vmlinuz: "), kernel.toString());
        InProcessCli.Run cdrom = kvmj("run", "--name", "x", "--dry-run", "--accel", "tcg", "--cdrom", "/no/such.iso");
        assertEquals(2, cdrom.exit(), cdrom.toString());
        assertTrue(cdrom.err().startsWith("kvmj run: --cdrom /no/such.iso: "), cdrom.toString());
        InProcessCli.Run dir = kvmj("run", "--name", "x", "--dry-run", "--accel", "tcg", "--disk", tmp.toString());
        assertEquals(2, dir.exit(), dir.toString());
        assertTrue(dir.err().startsWith("kvmj run: --disk " + tmp + ": "), dir.toString());
    }

    @Test
    void jsonErrorsGoToStdout() throws Exception {
        InProcessCli.Run stop = kvmj("stop", "no-such-guest", "--json");
        assertEquals(1, stop.exit(), stop.toString());
        JsonNode e = Json.MAPPER.readTree(stop.out()).path("error");
        assertEquals("failed", e.path("kind").asText(), stop.toString());
        assertTrue(e.path("message").asText().contains("no running guest named 'no-such-guest'"), stop.toString());
        InProcessCli.Run usage = kvmj("list", "--json", "--bogus");
        assertEquals(2, usage.exit(), usage.toString());
        assertEquals("usage", Json.MAPPER.readTree(usage.out()).path("error").path("kind").asText(), usage.toString());
    }

    @Test
    void valuesAreCheckedUpFront() {
        InProcessCli.Run boot = kvmj("run", "--name", "x", "--dry-run", "--accel", "tcg", "--boot", "hd,hd");
        assertEquals(2, boot.exit(), boot.toString());
        assertTrue(boot.err().contains("--boot hd,hd: a device is named twice"), boot.toString());
        InProcessCli.Run stop = kvmj("stop", "x", "--timeout", "-1");
        assertEquals(2, stop.exit(), stop.toString());
        assertTrue(stop.err().contains("--timeout") && stop.err().contains("0 or more"), stop.toString());
        for (String n : new String[] {"0", "-1"}) {
            InProcessCli.Run ev = kvmj("events", "x", "--count", n);
            assertEquals(2, ev.exit(), ev.toString());
            assertTrue(ev.err().contains("--count") && ev.err().contains("1 or more"), ev.toString());
        }
    }

    @Test
    void aCpuModelQemuDoesNotKnowIsRefusedUpFront() throws Exception {
        io.kvmj.launcher.testutil.Requirements.qemu();
        InProcessCli.Run bad = kvmj("run", "--name", "x", "--dry-run", "--accel", "tcg", "--cpu", "skylake-client");
        assertEquals(2, bad.exit(), bad.toString());
        assertEquals(1, bad.errLines(), bad.toString());
        assertTrue(bad.err().startsWith("kvmj run: --cpu skylake-client: ") && bad.err().contains("Skylake-Client?"),
                bad.toString());
        InProcessCli.Run good = kvmj("run", "--name", "x", "--dry-run", "--accel", "tcg", "--cpu", "Skylake-Client");
        assertEquals(0, good.exit(), good.toString());
        assertTrue(good.out().contains("-cpu Skylake-Client"), good.out());

        // the list is QEMU's own answer, kept per binary: asked again only when the file changes
        Path bin = tmp.resolve("qemu-fake");
        Path asked = tmp.resolve("asked");
        java.nio.file.Files.writeString(bin, "#!/bin/sh\necho x >> " + asked + "\necho 'x86 Alpha  model'\n");
        bin.toFile().setExecutable(true);
        QemuFactCache cache = QemuFactCache.in(tmp.resolve("cache"));
        java.util.function.Function<Path, java.util.Optional<String>> ask = b -> {
            try {
                Process p = new ProcessBuilder(b.toString()).start();
                return java.util.Optional.of(new String(p.getInputStream().readAllBytes()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        assertEquals(java.util.Set.of("Alpha"), QemuCpuModels.parse(cache.get(bin, ask).orElseThrow()));
        assertEquals(java.util.Set.of("Alpha"), QemuCpuModels.parse(cache.get(bin, ask).orElseThrow()));
        assertEquals(1, java.nio.file.Files.readAllLines(asked).size(), "the second answer came from the cache");
        java.nio.file.Files.writeString(bin, "#!/bin/sh\necho x >> " + asked + "\necho 'x86 Beta  model'\n");
        assertEquals(java.util.Set.of("Beta"), QemuCpuModels.parse(cache.get(bin, ask).orElseThrow()));
        assertEquals(2, java.nio.file.Files.readAllLines(asked).size(), "a changed binary is asked again");
    }

    @Test
    void helpAndNaming() {
        InProcessCli.Run help = kvmj("help", "img", "create");
        assertEquals(0, help.exit(), help.toString());
        assertTrue(help.out().startsWith("Usage: kvmj img create"), help.out());
        assertTrue(help.out().contains("vmdk"), "img create says which formats it creates: " + help.out());
        assertEquals(2, kvmj("help", "img", "nope").exit());
        InProcessCli.Run run = kvmj("run", "--help");
        assertTrue(run.out().contains("unsafe") && !run.out().contains("unsaf\n"), run.out());
        // picocli splits a word only when it is wider than the description column: keep every word narrower
        java.util.List<String> tooLong = new java.util.ArrayList<>();
        java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(Main.commandLine()));
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            todo.addAll(c.getSubcommands().values());
            for (var o : c.getCommandSpec().options()) {
                for (String d : o.description()) {
                    for (String w : d.split("\\s+")) {
                        if (w.length() > 48) {
                            tooLong.add(c.getCommandSpec().qualifiedName() + " " + o.longestName() + ": " + w);
                        }
                    }
                }
            }
        }
        assertEquals(java.util.List.of(), tooLong, "words that help output would split");
        assertTrue(kvmj("img", "convert", "--help").out().contains("Allocate the target's space"));
        assertTrue(kvmj("demo", "--help").out().contains("Exit codes:"));
        assertTrue(kvmj("disk", "snapshot", "--help").out().matches("(?s).*-o, --[a-z]+.*--overlay.*"));
        InProcessCli.Run version = kvmj("--version");
        assertEquals(0, version.exit(), version.toString());
        assertTrue(version.out().contains("kvmj ") && version.out().contains("qemu "), version.out());
    }

    @Test
    void aMissingQmpSocketFailsAtOnceInPlainWords() {
        for (String cmd : new String[] {"qmp", "events"}) {
            InProcessCli.Run r = cmd.equals("qmp") ? kvmj("qmp", "--socket", tmp.resolve("none.sock").toString(), "query-status")
                    : kvmj("events", "--socket", tmp.resolve("none.sock").toString());
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("no QMP socket at " + tmp.resolve("none.sock") + " (no such file)"),
                    r.toString());
            assertTrue(!r.err().contains("netty") && !r.err().contains("Exception"), r.toString());
        }
    }
}

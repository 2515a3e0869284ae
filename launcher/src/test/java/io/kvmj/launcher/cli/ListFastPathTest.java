package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code kvmj list} without picocli ({@link Main#listWithoutPicocli}) takes exactly the argument vectors whose meaning
 * is clear without it and prints what the picocli command prints, errors included.
 */
class ListFastPathTest {
    private static final String[][] PLAIN = {{"list"}, {"list", "--json"}, {"list", "--name"},
        {"list", "--json", "--name"}, {"list", "--name", "--json"}};

    @TempDir
    Path dir;

    private String saved;

    @BeforeEach
    void privateRuntime() {
        saved = System.getProperty("kvmj.runtime.dir");
        System.setProperty("kvmj.runtime.dir", dir.resolve("rt").toString());
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty("kvmj.runtime.dir");
        } else {
            System.setProperty("kvmj.runtime.dir", saved);
        }
    }

    @Test
    void theFastPathKnowsEveryOptionOfTheListCommand() {
        CommandLine list = Main.commandLine("list").getSubcommands().get("list");
        Set<String> names = new TreeSet<>();
        for (OptionSpec o : list.getCommandSpec().options()) {
            if (!o.usageHelp() && !o.versionHelp()) {
                names.addAll(Set.of(o.names()));
            }
        }
        assertEquals(Set.of("--json", "--name"), names, "a new list option must be taught to ListCommand.plainArgs");
        assertTrue(list.getCommandSpec().positionalParameters().isEmpty());
        for (String[] args : PLAIN) {
            assertTrue(ListCommand.plainArgs(args), String.join(" ", args));
        }
        for (String[] args : new String[][] {{}, {"lst"}, {"list", "--json", "--json"}, {"list", "--name", "--name"},
                {"list", "-h"}, {"list", "--help"}, {"list", "--bogus"}, {"list", "vm1"}, {"-c", "qemu:///system", "list"},
                {"list", "--json=true"}, {"list", "--json", "--name", "x"}, {"list", "--"}, {"help", "list"}}) {
            assertFalse(ListCommand.plainArgs(args), String.join(" ", args));
        }
    }

    @Test
    void tableRowsAreWhatTheFormatStringPrinted() {
        String fmt = "%-20s %8s  %-9s %5s %8s  %-5s  %-8s  %-15s  %-15s  %s%n";
        Object[][] rows = {{"NAME", "PID", "STATE", "VCPUS", "MEMORY", "ACCEL", "MODE", "SSH", "VNC", "UPTIME"},
            {"vm1", 23540L, "running", 1, "64M", "tcg", "detached", "-", "-", "14s"},
            {"a-name-longer-than-twenty-characters", 1234567890123L, "inmigrate-long", 123456, "1048576M", "kvm+x",
                "attached", "127.0.0.1:22222222222", "127.0.0.1:5900123456", "1h02m"},
            {"", -1L, "", 0, "", "", "", "", "", ""}};
        for (Object[] r : rows) {
            assertEquals(String.format(fmt, r), ListCommand.row(r), java.util.Arrays.toString(r));
        }
    }

    @Test
    void noGuestsAndAnExitedDetachedGuestPrintTheSameBothWays() throws Exception {
        for (String[] args : PLAIN) {
            assertEquals(picocli(args), fast(args), String.join(" ", args));
        }
        // a detached guest whose QEMU is gone: kept and listed as exited (no QMP asked)
        Path g = dir.resolve("rt").resolve("gone1");
        Files.createDirectories(g);
        Files.writeString(g.resolve("guest.json"), "{\"name\":\"gone1\",\"detached\":true,\"pid\":" + deadPid()
                + ",\"accelerator\":\"tcg\",\"created\":\"2026-01-01T00:00:00Z\",\"argv\":[\"qemu-system-x86_64\","
                + "\"-smp\",\"2\",\"-m\",\"96M\",\"-vnc\",\"127.0.0.1:3\"],\"sshPort\":2222}");
        for (String[] args : PLAIN) {
            String out = fast(args);
            assertEquals(picocli(args), out, String.join(" ", args));
            assertTrue(out.contains("gone1"), out);
        }
        assertTrue(fast("list").contains("exited"), fast("list"));
        assertTrue(fast("list", "--json").contains("\"state\" : \"exited\""), fast("list", "--json"));
    }

    @Test
    void anErrorIsSaidTheSameWayJsonIncluded() throws Exception {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        System.setProperty("kvmj.runtime.dir", notADir.toString());
        for (String[] args : PLAIN) {
            String out = fast(args);
            assertEquals(picocli(args), out, String.join(" ", args));
            assertTrue(out.startsWith("exit 2\n"), out);
            assertTrue(out.contains("kvmj list: internal error: " + notADir + " is not a directory"), out);
        }
        assertTrue(fast("list", "--json").contains("out: {\"error\":{\"kind\":\"internal\",\"exitCode\":2,"),
                fast("list", "--json"));
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static String fast(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.listWithoutPicocli(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return "exit " + exit + "\nout: " + out + "\nerr: " + err;
    }

    private static String picocli(String... args) {
        CommandLine cl = Main.commandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = Main.execute(cl, args);
        return "exit " + exit + "\nout: " + out + "\nerr: " + err;
    }
}

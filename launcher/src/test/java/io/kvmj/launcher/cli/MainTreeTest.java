package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@link Main#commandLine(String...)} registers only the named subcommand, with the same help and behaviour. */
class MainTreeTest {
    @Test
    void subcommandNamesAreTheAnnotatedNamesInHelpOrder() {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Class<?>> e : KvmjCommand.SUBCOMMANDS) {
            assertEquals(e.getKey(), e.getValue().getAnnotation(Command.class).name(), e.getValue().getName());
            names.add(e.getKey());
        }
        assertEquals(names, new ArrayList<>(Main.commandLine().getSubcommands().keySet()));
        String usage = Main.commandLine().getUsageMessage();
        int at = 0;
        for (String n : names) {
            int i = usage.indexOf("\n  " + n + " ", at);
            assertTrue(i >= at, n + " listed in order in: " + usage);
            at = i;
        }
    }

    @Test
    void oneSubcommandTreeHelpsAndBehavesLikeTheWholeTree() {
        for (Map.Entry<String, Class<?>> e : KvmjCommand.SUBCOMMANDS) {
            String name = e.getKey();
            CommandLine lazy = Main.commandLine(name, "--help");
            if (name.equals("help") || name.equals("generate-completion")) {
                assertEquals(KvmjCommand.SUBCOMMANDS.size(), lazy.getSubcommands().size(), name);
                continue;
            }
            assertEquals(List.of(name), new ArrayList<>(lazy.getSubcommands().keySet()));
            for (String[] args : new String[][] {{name, "--help"}, {name, "--bogus"}, {name, "--json", "--bogus"}}) {
                assertEquals(run(Main.commandLine(), args), run(Main.commandLine(args), args), String.join(" ", args));
            }
        }
    }

    @Test
    void versionNeedsNoSubcommandAndOtherArgumentsGetTheWholeTree() {
        assertEquals(0, Main.commandLine("--version").getSubcommands().size());
        assertEquals(0, Main.commandLine("-V").getSubcommands().size());
        assertEquals(run(Main.commandLine(), "--version"), run(Main.commandLine("--version"), "--version"));
        assertEquals("exit 0\nout: " + Main.versionText() + "\nerr: ", run(Main.commandLine(), "--version"),
                "main prints --version without picocli, the same text");
        assertTrue(Main.versionText().startsWith("kvmj "), Main.versionText());
        int all = KvmjCommand.SUBCOMMANDS.size();
        for (String[] args : new String[][] {{}, {"--help"}, {"lst"}, {"--version", "list"}, {"help", "list"}}) {
            assertEquals(all, Main.commandLine(args).getSubcommands().size(), String.join(" ", args));
        }
    }

    private static String run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = Main.execute(cl, args);
        return "exit " + exit + "\nout: " + out + "\nerr: " + err;
    }
}

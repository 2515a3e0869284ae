package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Entry point of the {@code kvmj} fat jar. Shared CLI conventions live here: a usage error is one line saying what
 * is wrong plus one pointing at {@code --help}, exit 2; with {@code --json}, a failing command that printed nothing
 * on stdout prints {@code {"error":{"kind":"usage|failed|internal","exitCode":N,"message":"..."}}} there (its
 * message also stays on stderr).
 *
 * <pre>{@code System.exit(Main.execute(Main.commandLine(), args));}</pre>
 */
public final class Main {
    private Main() {}

    /** Builds the whole picocli command line (every subcommand), as used for help and completion, and by tests. */
    public static CommandLine commandLine() {
        return configure(tree(null));
    }

    /**
     * The command line {@link #main} runs {@code args} on: when {@code args[0]} names a subcommand (other than
     * {@code help} and {@code generate-completion}, which show the others) only that subcommand is registered, and for
     * exactly {@code --version} or {@code -V} none; otherwise every one. picocli inspects each registered command
     * class by reflection, so this is most of a short command's start time; the output is the same (root options
     * before the subcommand, typos and help use the whole tree).
     *
     * <pre>{@code System.exit(Main.execute(Main.commandLine(args), args));}</pre>
     */
    public static CommandLine commandLine(String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return configure(tree(""));
        }
        if (args.length > 0 && !args[0].equals("help") && !args[0].equals("generate-completion")) {
            for (Map.Entry<String, Class<?>> e : KvmjCommand.SUBCOMMANDS) {
                if (e.getKey().equals(args[0])) {
                    return configure(tree(args[0]));
                }
            }
        }
        return commandLine();
    }

    /** The root with every subcommand ({@code only == null}), the one named {@code only}, or none ({@code ""}). */
    private static CommandLine tree(String only) {
        CommandLine cl = new CommandLine(new KvmjCommand());
        for (Map.Entry<String, Class<?>> e : KvmjCommand.SUBCOMMANDS) {
            if (only == null || only.equals(e.getKey())) {
                cl.addSubcommand(e.getValue());
            }
        }
        // qemu-img's relative shrink, "-100M", is a size there and not an option (SizeChange)
        for (String group : new String[] {"img", "disk"}) {
            CommandLine g = cl.getSubcommands().get(group);
            if (g != null) {
                g.getSubcommands().get("resize").setUnmatchedOptionsArePositionalParams(true);
            }
        }
        return cl;
    }

    /** The shared conventions; set after the subcommands are added (picocli copies them to those present). */
    private static CommandLine configure(CommandLine cl) {
        cl.setExitCodeExceptionMapper(t -> 2);
        cl.setExecutionStrategy(ConnectOption::execute); // --connect only where there is a libvirt form
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) ->
                executionError(ex, cmd.getCommandSpec().qualifiedName(), cmd.getErr()));
        return cl;
    }

    /**
     * A command's exception, said in one line on {@code err} (with the stack trace under {@code -Dkvmj.debug=true});
     * returns the exit code 2. A command's own errors (IllegalArgumentException, the launcher's and the demo's
     * exceptions) are said as they are; anything else is a bug and says so.
     */
    static int executionError(Exception ex, String qualifiedName, PrintWriter err) {
        boolean known = ex instanceof IllegalArgumentException || ex instanceof io.kvmj.launcher.GuestException
                || ex instanceof io.kvmj.launcher.demo.DemoException;
        err.println(qualifiedName + ": " + (known ? "" : "internal error: ")
                + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
        if (Boolean.getBoolean("kvmj.debug")) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    private static int usageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + ex.getMessage());
        err.println("see '" + name + " --help'");
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * Runs {@code args} on {@code cl} (with its configured out and err). With {@code --json} among the arguments a
     * failure that printed nothing on stdout is also reported there as a JSON error object.
     */
    public static int execute(CommandLine cl, String... args) {
        PrintWriter realOut = cl.getOut();
        PrintWriter realErr = cl.getErr();
        return withJsonErrors(args, realOut, realErr, (out, err) -> {
            if (out == realOut) {
                return cl.execute(args);
            }
            cl.setOut(out);
            cl.setErr(err);
            try {
                return cl.execute(args);
            } finally {
                cl.setOut(realOut);
                cl.setErr(realErr);
            }
        });
    }

    /**
     * {@code kvmj list} for the argument vectors {@link ListCommand#plainArgs} accepts, without picocli (issue 19),
     * with the same conventions as {@link #execute}: an exception is said by {@link #executionError}, and with
     * {@code --json} also as a JSON error object on stdout.
     */
    static int listWithoutPicocli(String[] args, PrintWriter realOut, PrintWriter realErr) {
        boolean json = Arrays.asList(args).contains("--json");
        boolean names = Arrays.asList(args).contains("--name");
        return withJsonErrors(args, realOut, realErr, (out, err) -> {
            try {
                return ListCommand.print(out, json, names);
            } catch (RuntimeException e) {
                return executionError(e, "kvmj list", err);
            }
        });
    }

    /** A command run on (stdout, stderr) writers; returns its exit code. */
    private interface Body {
        int run(PrintWriter out, PrintWriter err);
    }

    /**
     * Runs {@code body} on the real writers, or, with {@code --json} among the arguments, on writers that see whether
     * it printed on stdout and what it said on stderr: a failure that printed nothing on stdout is then also reported
     * there as a JSON error object.
     */
    private static int withJsonErrors(String[] args, PrintWriter realOut, PrintWriter realErr, Body body) {
        if (!Arrays.asList(args).contains("--json")) {
            return body.run(realOut, realErr);
        }
        StringWriter errText = new StringWriter();
        boolean[] wrote = new boolean[1];
        PrintWriter out = new PrintWriter(new Writer() {
            @Override
            public void write(char[] b, int off, int len) {
                if (len > 0) {
                    wrote[0] = true;
                }
                realOut.write(b, off, len);
            }

            @Override
            public void flush() {
                realOut.flush();
            }

            @Override
            public void close() {
                realOut.flush();
            }
        }, true);
        PrintWriter err = new PrintWriter(new Writer() {
            @Override
            public void write(char[] b, int off, int len) {
                errText.write(b, off, len);
                realErr.write(b, off, len);
            }

            @Override
            public void flush() {
                realErr.flush();
            }

            @Override
            public void close() {
                realErr.flush();
            }
        }, true);
        int code = body.run(out, err);
        out.flush();
        if (code != ExitCodes.OK && !wrote[0]) {
            String message = errText.toString().lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("see '")).reduce((a, b) -> b).orElse("exit " + code);
            String kind = code == ExitCodes.USAGE ? (message.contains("internal error") ? "internal" : "usage")
                    : code == ExitCodes.FAILED ? "failed" : "interrupted";
            ObjectNode o = Json.object();
            o.putObject("error").put("kind", kind).put("exitCode", code).put("message", message);
            realOut.println(Json.line(o));
            realOut.flush();
        }
        return code;
    }

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // what picocli prints for the root's --version, without building its model first (issue 19)
            System.out.print(versionText());
            System.out.flush();
            System.exit(System.out.checkError() ? ExitCodes.USAGE : ExitCodes.OK);
        }
        if (ListCommand.plainArgs(args)) {
            // kvmj list (the shell completion's too) without building picocli's model: most of its start time
            PrintWriter out = new PrintWriter(System.out);
            int code = listWithoutPicocli(args, out, new PrintWriter(System.err, true));
            out.flush();
            System.exit(code);
        }
        System.exit(execute(commandLine(args), args));
    }

    /** The {@code kvmj --version} text as picocli prints it: each line formatted (without arguments), then ended. */
    static String versionText() {
        StringBuilder b = new StringBuilder();
        for (String line : new VersionProvider().getVersion()) {
            if (line.indexOf('%') >= 0) {
                try {
                    line = String.format(line);
                } catch (java.util.IllegalFormatException e) {
                    // picocli prints such a line as it is
                }
            }
            b.append(line).append(System.lineSeparator());
        }
        return b.toString();
    }
}

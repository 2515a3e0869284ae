package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Arrays;
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

    /** Builds the picocli command line used by {@link #main} and by tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new KvmjCommand());
        cl.setExitCodeExceptionMapper(t -> 2);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // a command's own errors (IllegalArgumentException, the launcher's and the demo's exceptions) are said
            // as they are; anything else is a bug and says so
            boolean known = ex instanceof IllegalArgumentException || ex instanceof io.kvmj.launcher.GuestException
                    || ex instanceof io.kvmj.launcher.demo.DemoException;
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + (known ? "" : "internal error: ")
                    + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (Boolean.getBoolean("kvmj.debug")) {
                ex.printStackTrace(cmd.getErr());
            }
            return 2;
        });
        return cl;
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
        if (!Arrays.asList(args).contains("--json")) {
            return cl.execute(args);
        }
        PrintWriter realOut = cl.getOut();
        PrintWriter realErr = cl.getErr();
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
        cl.setOut(out);
        cl.setErr(err);
        int code;
        try {
            code = cl.execute(args);
        } finally {
            cl.setOut(realOut);
            cl.setErr(realErr);
        }
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
        System.exit(execute(commandLine(), args));
    }
}

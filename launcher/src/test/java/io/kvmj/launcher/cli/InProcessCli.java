package io.kvmj.launcher.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs the {@code kvmj} CLI inside the test JVM exactly as {@link Main} does (same command tree, same
 * {@link Main#execute} with its {@code --json} error object), capturing stdout and stderr. For checks that need no
 * real process; {@link CliProcess} runs the real launcher script.
 *
 * <pre>{@code
 * InProcessCli.Run r = InProcessCli.run("run", "--name", "x", "--accel", "tcg", "--dry-run");
 * assertEquals(0, r.exit(), r.err());
 * }</pre>
 */
public final class InProcessCli {
    /** What a run printed and returned. */
    public record Run(int exit, String out, String err) {
        /** Non-blank lines on stderr (a usage error is one or two). */
        public long errLines() {
            return err.lines().filter(l -> !l.isBlank()).count();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private InProcessCli() {}

    /** Runs {@code kvmj ARGS...}. */
    public static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = Main.execute(cl, args);
        return new Run(exit, out.toString(), err.toString());
    }
}

package io.kvmj.launcher;

import io.kvmj.core.qemu.ShellQuote;
import java.util.List;
import java.util.OptionalInt;

/**
 * QEMU could not be launched, or exited / stopped answering while the launch was in progress.
 *
 * <p>Always carries the full argv (also shell-quoted, ready to paste into a terminal), QEMU's exit code
 * when it had exited, and the tail of QEMU's stderr, so the cause is visible without re-running.
 * A launch never fails with a bare timeout: a time-out is reported as this exception with the same context.
 */
public class LaunchException extends GuestException {
    private static final long serialVersionUID = 1L;

    private final Integer exitCode;
    private final List<String> argv;
    private final String stderrTail;

    /**
     * @param reason     what went wrong, one line
     * @param exitCode   QEMU's exit code if it exited, else {@code null}
     * @param argv       the full command line (may be empty when nothing was spawned yet)
     * @param stderrTail the last lines QEMU wrote to stderr (may be empty)
     * @param cause      underlying cause or {@code null}
     */
    public LaunchException(String reason, Integer exitCode, List<String> argv, String stderrTail, Throwable cause) {
        super(compose(reason, exitCode, argv, stderrTail), cause);
        this.exitCode = exitCode;
        this.argv = argv == null ? List.of() : List.copyOf(argv);
        this.stderrTail = stderrTail == null ? "" : stderrTail;
    }

    /** A failure detected before anything was spawned (bad name, accelerator not usable, ...). */
    public LaunchException(String reason) {
        this(reason, null, List.of(), "", null);
    }

    /** QEMU's exit code, empty if QEMU had not exited (or was never started). */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /** The argv that was (or would have been) executed. */
    public List<String> argv() {
        return argv;
    }

    /** The argv as one shell-quoted line. */
    public String commandLine() {
        return ShellQuote.join(argv);
    }

    /** The tail of QEMU's stderr, possibly empty. */
    public String stderrTail() {
        return stderrTail;
    }

    private static String compose(String reason, Integer exitCode, List<String> argv, String stderrTail) {
        StringBuilder sb = new StringBuilder(reason);
        if (exitCode != null) {
            sb.append(" (exit code ").append(exitCode).append(')');
        }
        if (stderrTail != null && !stderrTail.isBlank()) {
            sb.append("\nQEMU stderr:\n").append(stderrTail.strip().indent(2).stripTrailing());
        }
        if (argv != null && !argv.isEmpty()) {
            sb.append("\ncommand: ").append(ShellQuote.join(argv));
        }
        return sb.toString();
    }
}

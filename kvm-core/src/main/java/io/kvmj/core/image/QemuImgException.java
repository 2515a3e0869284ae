package io.kvmj.core.image;

import java.util.List;

/**
 * qemu-img ran and failed (non-zero exit code) or could not be started. Carries the full argv, the exit
 * code ({@code -1} when the process never started) and qemu-img's stderr so the cause is never lost.
 */
public class QemuImgException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> argv;
    private final int exitCode;
    private final String stderr;

    public QemuImgException(String message, List<String> argv, int exitCode, String stderr, Throwable cause) {
        super(message + " (exit " + exitCode + "): " + String.join(" ", argv)
            + (stderr == null || stderr.isBlank() ? "" : System.lineSeparator() + stderr.strip()), cause);
        this.argv = List.copyOf(argv);
        this.exitCode = exitCode;
        this.stderr = stderr == null ? "" : stderr;
    }

    public QemuImgException(String message, List<String> argv, int exitCode, String stderr) {
        this(message, argv, exitCode, stderr, null);
    }

    /** The command line that failed, binary first. */
    public List<String> argv() {
        return argv;
    }

    /** qemu-img's exit code, or -1 if it could not be started. */
    public int exitCode() {
        return exitCode;
    }

    /** Everything qemu-img wrote to stderr. */
    public String stderr() {
        return stderr;
    }
}

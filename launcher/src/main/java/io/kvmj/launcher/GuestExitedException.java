package io.kvmj.launcher;

import java.util.OptionalInt;

/** QEMU exited while the caller waited for something else (console output, QMP reply). */
public class GuestExitedException extends GuestException {
    private static final long serialVersionUID = 1L;

    private final Integer exitCode;

    public GuestExitedException(String message, Integer exitCode, String stderrTail) {
        super(message + (exitCode == null ? "" : " (exit code " + exitCode + ")")
                + (stderrTail == null || stderrTail.isBlank() ? "" : "\nQEMU stderr:\n"
                + stderrTail.strip().indent(2).stripTrailing()));
        this.exitCode = exitCode;
    }

    /** QEMU's exit code when known. */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }
}

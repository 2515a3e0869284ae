package io.kvmj.qga.model;

import java.nio.charset.StandardCharsets;

/**
 * Status of a process started with {@code guest-exec} ({@code guest-exec-status}, base64 output decoded). While
 * {@link #exited()} is false only {@link #pid()} is meaningful. After the exit exactly one of {@link #exitCode()}
 * (normal exit) and {@link #signal()} (killed by a signal) is set.
 *
 * @param pid             guest process id
 * @param exited          the process has ended (and the agent has collected its output)
 * @param exitCode        exit status, or {@code null} when it did not exit normally
 * @param signal          terminating signal number, or {@code null}
 * @param stdout          captured stdout (empty when not captured)
 * @param stderr          captured stderr (empty when not captured)
 * @param stdoutTruncated the agent dropped stdout beyond its 16 MiB limit
 * @param stderrTruncated the agent dropped stderr beyond its 16 MiB limit
 */
public record GuestExecResult(long pid, boolean exited, Integer exitCode, Integer signal, byte[] stdout,
        byte[] stderr, boolean stdoutTruncated, boolean stderrTruncated) {

    public GuestExecResult {
        stdout = stdout == null ? new byte[0] : stdout;
        stderr = stderr == null ? new byte[0] : stderr;
    }

    /** Exited normally with status 0. */
    public boolean success() {
        return exited && exitCode != null && exitCode == 0;
    }

    /** Stdout as UTF-8 text. */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Stderr as UTF-8 text. */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "GuestExecResult[pid=" + pid + ", exited=" + exited + ", exitCode=" + exitCode + ", signal=" + signal
                + ", stdout=" + stdout.length + " bytes" + (stdoutTruncated ? " (truncated)" : "") + ", stderr="
                + stderr.length + " bytes" + (stderrTruncated ? " (truncated)" : "") + "]";
    }
}

package io.kvmj.launcher.cli;

/** The CLI's exit codes (see {@link KvmjCommand}). */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /**
     * 128 + SIGINT: a {@code kvmj disk commit|backup} interrupted by Ctrl-C (its job cancelled). The JVM itself exits
     * with 128 + the signal number (143 for SIGTERM) once the shutdown hook has reported.
     */
    static final int INTERRUPTED = 130;

    private ExitCodes() {}
}

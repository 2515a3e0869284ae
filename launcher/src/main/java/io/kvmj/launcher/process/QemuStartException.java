package io.kvmj.launcher.process;

import java.util.List;

/**
 * QEMU could not be executed at all (binary missing or not executable, fork/exec failed). The launcher reports it as
 * a {@code LaunchException} with the argv.
 *
 * <pre>{@code
 * try {
 *     QemuProcess p = QemuProcess.start(argv, log, false, Duration.ofSeconds(30));
 * } catch (QemuStartException e) {
 *     System.err.println(e.getMessage() + ": " + e.argv());
 * }
 * }</pre>
 */
public class QemuStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> argv;

    /**
     * @param message one line: what could not be executed
     * @param argv    the command line that was to be run
     * @param cause   the I/O error, or {@code null}
     */
    public QemuStartException(String message, List<String> argv, Throwable cause) {
        super(message, cause);
        this.argv = argv == null ? List.of() : List.copyOf(argv);
    }

    /** The command line that was to be run. */
    public List<String> argv() {
        return argv;
    }
}

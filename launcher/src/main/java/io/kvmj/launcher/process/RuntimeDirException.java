package io.kvmj.launcher.process;

/**
 * A guest's runtime directory cannot be claimed: a live guest already uses the name, the path is too long for a unix
 * socket, or the directory cannot be created. The launcher reports it as a {@code LaunchException}.
 *
 * <pre>{@code
 * try {
 *     RuntimeDir dir = RuntimeDir.claim("vm1");
 * } catch (RuntimeDirException e) {
 *     System.err.println(e.getMessage());   // a guest named 'vm1' is already running (QEMU pid 4242); ...
 * }
 * }</pre>
 */
public class RuntimeDirException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one line: what is wrong with the directory, and what to do */
    public RuntimeDirException(String message) {
        super(message);
    }
}

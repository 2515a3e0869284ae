package io.kvmj.launcher.demo;

/**
 * A demo-guest step failed in a way the user can act on (missing kernel file, empty apt lists, QEMU dying at
 * start...). The message is a complete, single-line-first explanation; the CLI prints it without a stack trace.
 */
public class DemoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DemoException(String message) {
        super(message);
    }

    public DemoException(String message, Throwable cause) {
        super(message, cause);
    }
}

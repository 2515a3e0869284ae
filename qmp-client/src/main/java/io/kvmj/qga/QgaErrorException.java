package io.kvmj.qga;

/**
 * The agent answered with {@code {"error": {"class": ..., "desc": ...}}}, e.g. {@code CommandNotFound} for a
 * command the agent does not know or has disabled ({@code --block-rpcs}), or {@code GenericError} with the
 * guest's errno text.
 */
public class QgaErrorException extends QgaException {
    private static final long serialVersionUID = 1L;

    private final String errorClass;
    private final String description;
    private final String command;

    public QgaErrorException(String errorClass, String description, String command) {
        super(command + " failed: " + errorClass + ": " + description);
        this.errorClass = errorClass;
        this.description = description;
        this.command = command;
    }

    /** The error class, e.g. {@code CommandNotFound} or {@code GenericError}. */
    public String errorClass() {
        return errorClass;
    }

    /** The agent's human-readable description. */
    public String description() {
        return description;
    }

    /** The command that was sent. */
    public String command() {
        return command;
    }

    /** Whether the agent does not know the command or has it disabled (class {@code CommandNotFound}). */
    public boolean commandNotFound() {
        return "CommandNotFound".equals(errorClass);
    }
}

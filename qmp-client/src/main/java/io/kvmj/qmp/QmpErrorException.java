package io.kvmj.qmp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * QEMU answered a command with an {@code error} reply. Carries the QMP error class (e.g. {@code CommandNotFound},
 * {@code GenericError}, {@code DeviceNotFound}), QEMU's description, and the command and arguments that were sent.
 */
public class QmpErrorException extends QmpException {
    private static final long serialVersionUID = 1L;

    private final String errorClass;
    private final String description;
    private final String command;
    private final transient JsonNode arguments;

    public QmpErrorException(String errorClass, String description, String command, JsonNode arguments) {
        super(command + " failed: " + errorClass + ": " + description
                + (arguments == null || arguments.isEmpty() ? "" : " (arguments " + arguments + ")"));
        this.errorClass = errorClass;
        this.description = description;
        this.command = command;
        this.arguments = arguments;
    }

    /** From a reply's {@code error} member ({@code {"class":...,"desc":...}}) to {@code command}. */
    public static QmpErrorException of(JsonNode error, String command, JsonNode arguments) {
        return new QmpErrorException(error.path("class").asText("GenericError"), error.path("desc").asText(""),
                command, arguments);
    }

    /** The QMP error class, e.g. {@code CommandNotFound} or {@code GenericError}. */
    public String errorClass() {
        return errorClass;
    }

    /** QEMU's human-readable description. */
    public String description() {
        return description;
    }

    /** The command name that was sent. */
    public String command() {
        return command;
    }

    /** The arguments that were sent, or {@code null} if none. */
    public JsonNode arguments() {
        return arguments;
    }
}

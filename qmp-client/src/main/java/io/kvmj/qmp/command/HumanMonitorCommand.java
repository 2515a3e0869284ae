package io.kvmj.qmp.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code human-monitor-command}: Runs an HMP command and returns its text output. */
public record HumanMonitorCommand(
        @JsonProperty("command-line") String commandLine,
        @JsonProperty("cpu-index") Integer cpuIndex) implements QmpCommand<String> {
    private static final JavaType RESPONSE = QmpTypes.of(String.class);

    /** The HMP command line on the default CPU. */
    public static HumanMonitorCommand of(String commandLine) {
        return new HumanMonitorCommand(commandLine, null);
    }

    public HumanMonitorCommand {
        java.util.Objects.requireNonNull(commandLine, "commandLine");
    }

    @Override
    public String name() {
        return "human-monitor-command";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

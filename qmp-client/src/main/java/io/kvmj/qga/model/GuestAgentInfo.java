package io.kvmj.qga.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/**
 * Result of {@code guest-info}: the agent version and every command it knows, with whether it is enabled (not
 * blocked by {@code --block-rpcs} / not unsupported on this guest).
 *
 * @param version           agent version, e.g. {@code 7.2.22}
 * @param supportedCommands the agent's commands
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GuestAgentInfo(
        String version,
        @JsonProperty("supported_commands") List<GuestAgentCommandInfo> supportedCommands) {

    public GuestAgentInfo {
        supportedCommands = supportedCommands == null ? List.of() : List.copyOf(supportedCommands);
    }

    /** The entry for {@code name}, if the agent knows it. */
    public Optional<GuestAgentCommandInfo> command(String name) {
        return supportedCommands.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Whether the agent knows {@code name} and has it enabled. */
    public boolean enabled(String name) {
        return command(name).map(GuestAgentCommandInfo::enabled).orElse(false);
    }
}

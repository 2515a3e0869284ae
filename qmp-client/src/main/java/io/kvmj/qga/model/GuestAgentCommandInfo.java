package io.kvmj.qga.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One command listed by {@code guest-info}.
 *
 * @param name            command name, e.g. {@code guest-exec}
 * @param enabled         false when blocked or unsupported
 * @param successResponse false for commands that send no reply when they succeed ({@code guest-shutdown},
 *                        {@code guest-suspend-*})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GuestAgentCommandInfo(
        String name,
        boolean enabled,
        @JsonProperty("success-response") boolean successResponse) {
}

package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Result of {@code query-name}; {@code name} is null when the guest has no {@code -name}. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NameInfo(
        String name) {
}

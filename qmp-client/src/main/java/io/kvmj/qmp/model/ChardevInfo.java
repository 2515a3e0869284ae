package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One character device from {@code query-chardev}. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChardevInfo(
        String label,
        String filename,
        @JsonProperty("frontend-open") boolean frontendOpen) {
}

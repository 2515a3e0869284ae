package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** One QOM property from {@code qom-list}. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ObjectPropertyInfo(
        String name,
        String type,
        String description,
        @JsonProperty("default-value") JsonNode defaultValue) {
}

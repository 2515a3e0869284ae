package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Result of {@code query-migrate}; fields are null when not applicable to the current status. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MigrationInfo(
        String status,
        MigrationStats ram,
        @JsonProperty("total-time") Long totalTime,
        @JsonProperty("expected-downtime") Long expectedDowntime,
        Long downtime,
        @JsonProperty("setup-time") Long setupTime,
        @JsonProperty("error-desc") String errorDesc,
        @JsonProperty("blocked-reasons") java.util.List<String> blockedReasons) {
}

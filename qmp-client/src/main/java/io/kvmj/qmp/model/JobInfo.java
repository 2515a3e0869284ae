package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One job from {@code query-jobs}; {@code status} e.g. {@code running}, {@code ready}, {@code concluded}. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobInfo(
        String id,
        String type,
        String status,
        @JsonProperty("current-progress") long currentProgress,
        @JsonProperty("total-progress") long totalProgress,
        String error) {
}

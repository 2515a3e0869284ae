package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** One vCPU from {@code query-cpus-fast}. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CpuInfoFast(
        @JsonProperty("cpu-index") long cpuIndex,
        @JsonProperty("qom-path") String qomPath,
        @JsonProperty("thread-id") long threadId,
        String target,
        JsonNode props) {
}

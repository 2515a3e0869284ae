package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Per-device I/O statistics from {@code query-blockstats}. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlockStats(
        String device,
        @JsonProperty("node-name") String nodeName,
        String qdev,
        BlockDeviceStats stats,
        BlockStats parent,
        BlockStats backing) {
}

package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** I/O counters of one block node. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlockDeviceStats(
        @JsonProperty("rd_bytes") long rdBytes,
        @JsonProperty("wr_bytes") long wrBytes,
        @JsonProperty("unmap_bytes") long unmapBytes,
        @JsonProperty("rd_operations") long rdOperations,
        @JsonProperty("wr_operations") long wrOperations,
        @JsonProperty("flush_operations") long flushOperations,
        @JsonProperty("unmap_operations") long unmapOperations,
        @JsonProperty("rd_total_time_ns") long rdTotalTimeNs,
        @JsonProperty("wr_total_time_ns") long wrTotalTimeNs,
        @JsonProperty("flush_total_time_ns") long flushTotalTimeNs,
        @JsonProperty("wr_highest_offset") long wrHighestOffset,
        @JsonProperty("invalid_rd_operations") long invalidRdOperations,
        @JsonProperty("invalid_wr_operations") long invalidWrOperations,
        @JsonProperty("failed_rd_operations") long failedRdOperations,
        @JsonProperty("failed_wr_operations") long failedWrOperations,
        @JsonProperty("idle_time_ns") Long idleTimeNs) {
}

package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** RAM transfer statistics of a migration. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MigrationStats(
        long transferred,
        long remaining,
        long total,
        long duplicate,
        long normal,
        @JsonProperty("normal-bytes") long normalBytes,
        @JsonProperty("dirty-pages-rate") long dirtyPagesRate,
        double mbps,
        @JsonProperty("dirty-sync-count") long dirtySyncCount,
        @JsonProperty("postcopy-requests") long postcopyRequests,
        @JsonProperty("page-size") long pageSize,
        @JsonProperty("pages-per-second") long pagesPerSecond) {
}

package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The cache flags of a block node ({@code query-block} / {@code query-named-block-nodes} {@code cache}).
 * Field names follow QEMU's QAPI schema.
 *
 * @param writeback the guest sees a volatile write cache
 * @param direct    host I/O bypasses the page cache (O_DIRECT)
 * @param noFlush   guest flushes are ignored
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlockdevCacheInfo(
        boolean writeback,
        boolean direct,
        @JsonProperty("no-flush") boolean noFlush) {
}

package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The medium inserted in a block backend ({@code query-block} {@code inserted}), or one node of {@code query-named-block-nodes}. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlockDeviceInfo(
        String file,
        @JsonProperty("node-name") String nodeName,
        boolean ro,
        String drv,
        @JsonProperty("backing_file") String backingFile,
        @JsonProperty("backing_file_depth") long backingFileDepth,
        boolean encrypted,
        @JsonProperty("detect_zeroes") String detectZeroes,
        BlockdevCacheInfo cache,
        ImageInfo image) {
}

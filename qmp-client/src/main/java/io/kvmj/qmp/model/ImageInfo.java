package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Image information (format, sizes, backing chain). Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageInfo(
        String filename,
        String format,
        @JsonProperty("virtual-size") long virtualSize,
        @JsonProperty("actual-size") Long actualSize,
        @JsonProperty("dirty-flag") Boolean dirtyFlag,
        @JsonProperty("backing-filename") String backingFilename,
        @JsonProperty("backing-filename-format") String backingFilenameFormat,
        @JsonProperty("backing-image") ImageInfo backingImage) {
}

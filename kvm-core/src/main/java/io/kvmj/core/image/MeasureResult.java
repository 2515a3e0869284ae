package io.kvmj.core.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Result of {@code qemu-img measure}: bytes {@code required} for the image as it is, bytes when
 * {@code fullyAllocated}, and the space for persistent bitmaps (null when qemu-img does not report it).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MeasureResult(
    @JsonProperty("required") long required,
    @JsonProperty("fully-allocated") long fullyAllocated,
    @JsonProperty("bitmaps") Long bitmaps) {
}

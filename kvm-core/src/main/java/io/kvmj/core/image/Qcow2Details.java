package io.kvmj.core.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * qcow2-specific part of {@code qemu-img info} ({@code format-specific.data}). Fields qemu-img omits for
 * an image (e.g. lazy refcounts on compat 0.10) are {@code null}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Qcow2Details(
    @JsonProperty("compat") String compat,
    @JsonProperty("compression-type") String compressionType,
    @JsonProperty("lazy-refcounts") Boolean lazyRefcounts,
    @JsonProperty("refcount-bits") Integer refcountBits,
    @JsonProperty("corrupt") Boolean corrupt,
    @JsonProperty("extended-l2") Boolean extendedL2,
    @JsonProperty("data-file") String dataFile) {
}

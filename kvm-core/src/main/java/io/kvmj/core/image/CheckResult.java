package io.kvmj.core.image;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Result of {@code qemu-img check --output=json}. Counters qemu-img leaves out are 0. {@code exitCode} is
 * qemu-img's own verdict: 0 clean, 2 corruptions, 3 leaks only.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckResult(
    @JsonProperty("filename") String filename,
    @JsonProperty("format") String format,
    @JsonProperty("check-errors") long checkErrors,
    @JsonProperty("corruptions") long corruptions,
    @JsonProperty("leaks") long leaks,
    @JsonProperty("corruptions-fixed") long corruptionsFixed,
    @JsonProperty("leaks-fixed") long leaksFixed,
    @JsonProperty("image-end-offset") long imageEndOffset,
    @JsonProperty("total-clusters") long totalClusters,
    @JsonProperty("allocated-clusters") long allocatedClusters,
    @JsonProperty("fragmented-clusters") long fragmentedClusters,
    @JsonProperty("compressed-clusters") long compressedClusters,
    @JsonProperty("exit-code") int exitCode) {

    /** True if no corruption, leak or check error remains. */
    @JsonIgnore
    public boolean clean() {
        return checkErrors == 0 && corruptions == 0 && leaks == 0;
    }

    CheckResult withExitCode(int code) {
        return new CheckResult(filename, format, checkErrors, corruptions, leaks, corruptionsFixed, leaksFixed,
            imageEndOffset, totalClusters, allocatedClusters, fragmentedClusters, compressedClusters, code);
    }
}

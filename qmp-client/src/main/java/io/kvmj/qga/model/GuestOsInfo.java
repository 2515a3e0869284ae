package io.kvmj.qga.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Result of {@code guest-get-osinfo} (kernel from {@code uname}, the rest from the guest's
 * {@code /etc/os-release}); every field may be absent ({@code null}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GuestOsInfo(
        @JsonProperty("kernel-release") String kernelRelease,
        @JsonProperty("kernel-version") String kernelVersion,
        String machine,
        String id,
        String name,
        @JsonProperty("pretty-name") String prettyName,
        String version,
        @JsonProperty("version-id") String versionId,
        String variant,
        @JsonProperty("variant-id") String variantId) {
}

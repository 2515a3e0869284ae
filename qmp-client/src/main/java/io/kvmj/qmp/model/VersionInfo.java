package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.kvmj.qmp.QemuVersion;

/** Result of {@code query-version}. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VersionInfo(
        QemuVersion qemu,
        @JsonProperty("package") String packageName) {
}

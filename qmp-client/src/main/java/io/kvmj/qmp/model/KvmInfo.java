package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Result of {@code query-kvm}: whether KVM is in use and whether it is available. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KvmInfo(
        boolean enabled,
        boolean present) {
}

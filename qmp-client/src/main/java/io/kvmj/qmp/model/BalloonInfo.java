package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Result of {@code query-balloon}: the guest memory size the balloon currently leaves, in bytes. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BalloonInfo(
        long actual) {
}

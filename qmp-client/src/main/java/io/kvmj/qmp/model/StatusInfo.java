package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Result of {@code query-status}: whether the VM runs and its run state (e.g. {@code running}, {@code paused}, {@code prelaunch}, {@code shutdown}). Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatusInfo(
        boolean running,
        String status,
        Boolean singlestep) {
}

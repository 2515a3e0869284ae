package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One block backend from {@code query-block}; {@code inserted} is null for an empty drive. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlockInfo(
        String device,
        String qdev,
        String type,
        boolean removable,
        boolean locked,
        BlockDeviceInfo inserted,
        @JsonProperty("tray_open") Boolean trayOpen,
        @JsonProperty("io-status") String ioStatus) {
}

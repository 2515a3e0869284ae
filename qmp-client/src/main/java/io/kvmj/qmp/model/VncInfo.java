package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Result of {@code query-vnc}. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VncInfo(
        boolean enabled,
        String host,
        String family,
        String service,
        String auth,
        java.util.List<VncClientInfo> clients) {
}

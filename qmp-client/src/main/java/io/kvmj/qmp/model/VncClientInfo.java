package io.kvmj.qmp.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A connected VNC client. Field names follow QEMU's QAPI schema. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VncClientInfo(
        String host,
        String service,
        String family,
        boolean websocket,
        @JsonProperty("x509_dname") String x509Dname,
        @JsonProperty("sasl_username") String saslUsername) {
}

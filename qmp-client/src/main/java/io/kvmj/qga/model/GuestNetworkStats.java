package io.kvmj.qga.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Counters of a guest network interface (from {@code guest-network-get-interfaces}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GuestNetworkStats(
        @JsonProperty("rx-bytes") long rxBytes,
        @JsonProperty("rx-packets") long rxPackets,
        @JsonProperty("rx-errs") long rxErrors,
        @JsonProperty("rx-dropped") long rxDropped,
        @JsonProperty("tx-bytes") long txBytes,
        @JsonProperty("tx-packets") long txPackets,
        @JsonProperty("tx-errs") long txErrors,
        @JsonProperty("tx-dropped") long txDropped) {
}

package io.kvmj.qga.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One guest network interface from {@code guest-network-get-interfaces}.
 *
 * @param name            interface name, e.g. {@code eth0}
 * @param hardwareAddress MAC address, or {@code null}
 * @param ipAddresses     its addresses (empty when none)
 * @param statistics      counters, or {@code null} when the guest does not report them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GuestNetworkInterface(
        String name,
        @JsonProperty("hardware-address") String hardwareAddress,
        @JsonProperty("ip-addresses") List<GuestIpAddress> ipAddresses,
        GuestNetworkStats statistics) {

    public GuestNetworkInterface {
        ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
    }
}

package io.kvmj.qga.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One address of a guest network interface.
 *
 * @param type    {@code ipv4} or {@code ipv6}
 * @param address the address, e.g. {@code 10.0.2.15}
 * @param prefix  prefix length
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GuestIpAddress(
        @JsonProperty("ip-address-type") String type,
        @JsonProperty("ip-address") String address,
        int prefix) {
}

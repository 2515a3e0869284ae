package io.kvmj.core.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** An internal (qcow2) snapshot as qemu-img reports it in {@code info --output=json}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotInfo(
    @JsonProperty("id") String id,
    @JsonProperty("name") String name,
    @JsonProperty("vm-state-size") long vmStateSize,
    @JsonProperty("date-sec") long dateSec,
    @JsonProperty("date-nsec") long dateNsec,
    @JsonProperty("vm-clock-sec") long vmClockSec,
    @JsonProperty("vm-clock-nsec") long vmClockNsec) {

    /** When the snapshot was taken. */
    public Instant date() {
        return Instant.ofEpochSecond(dateSec, dateNsec);
    }
}

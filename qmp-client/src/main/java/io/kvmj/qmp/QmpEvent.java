package io.kvmj.qmp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;

/**
 * An asynchronous QMP event, e.g. {@code {"event": "STOP", "timestamp": {"seconds": .., "microseconds": ..}}}.
 *
 * @param name      event name, e.g. {@code STOP}, {@code DEVICE_DELETED}
 * @param data      the {@code data} member, or a missing node if absent (never {@code null})
 * @param timestamp QEMU's timestamp, or {@code null} if absent
 */
public record QmpEvent(String name, JsonNode data, Instant timestamp) {

    public QmpEvent {
        if (data == null) {
            data = MissingNode.getInstance();
        }
    }

    /** Maps {@link #data()} to a type (record, map...). */
    public <T> T dataAs(Class<T> type) {
        try {
            return QmpJson.mapper().treeToValue(data, type);
        } catch (JsonProcessingException e) {
            throw new QmpProtocolException("cannot map data of event " + name + " to " + type.getName(), e);
        }
    }

    /** Text of a top-level data member, or {@code null}. */
    public String dataText(String member) {
        JsonNode n = data.get(member);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** Parses a raw event message (must contain {@code event}). */
    public static QmpEvent parse(JsonNode message) {
        JsonNode ts = message.get("timestamp");
        Instant t = null;
        if (ts != null && ts.has("seconds")) {
            t = Instant.ofEpochSecond(ts.path("seconds").asLong(), ts.path("microseconds").asLong() * 1000L);
        }
        return new QmpEvent(message.get("event").asText(), message.get("data"), t);
    }
}

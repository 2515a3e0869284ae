package io.kvmj.launcher.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A completed migration, from the source's final {@code query-migrate}.
 *
 * @param source           the guest's name before
 * @param destination      the guest's name after (a new guest name, or the URI it was sent to)
 * @param totalTimeMs      QEMU's {@code total-time}: from {@code migrate} to completion
 * @param downtimeMs       QEMU's {@code downtime}: how long the guest was paused, or null when QEMU did not say
 * @param setupTimeMs      QEMU's {@code setup-time}, or null
 * @param transferredBytes RAM bytes sent
 * @param postcopy         whether the migration switched to post-copy
 * @param stats            QEMU's whole {@code query-migrate} answer
 */
public record MigrationResult(String source, String destination, long totalTimeMs, Long downtimeMs, Long setupTimeMs,
                              long transferredBytes, boolean postcopy, JsonNode stats) {
    /** The result as JSON ({@code kvmj migrate --json}); QEMU's answer under {@code "qemu"}. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("source", source).put("destination", destination).put("totalTimeMs", totalTimeMs);
        o.put("downtimeMs", downtimeMs).put("setupTimeMs", setupTimeMs).put("transferredBytes", transferredBytes);
        o.put("postcopy", postcopy).set("qemu", stats);
        return o;
    }

    static MigrationResult of(String source, String destination, boolean postcopy, JsonNode q) {
        return new MigrationResult(source, destination, q.path("total-time").asLong(),
                q.has("downtime") ? q.get("downtime").asLong() : null,
                q.has("setup-time") ? q.get("setup-time").asLong() : null,
                q.path("ram").path("transferred").asLong(), postcopy, q.deepCopy());
    }
}

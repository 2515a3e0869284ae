package io.kvmj.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code query-qmp-schema} introspection of a running QEMU: which commands, arguments and events it knows.
 * Argument lookup follows the command's argument type including union base members and all variant members
 * (e.g. every {@code blockdev-add} driver's options).
 */
public final class QmpSchema {
    private final Map<String, JsonNode> commands = new HashMap<>();
    private final Map<String, JsonNode> events = new HashMap<>();
    private final Map<String, JsonNode> types = new HashMap<>();

    private QmpSchema() {
    }

    /** Parses the {@code return} value of {@code query-qmp-schema} (a JSON array). */
    public static QmpSchema parse(JsonNode schema) {
        if (schema == null || !schema.isArray()) {
            throw new QmpProtocolException("query-qmp-schema did not return an array");
        }
        QmpSchema s = new QmpSchema();
        for (JsonNode e : schema) {
            String name = e.path("name").asText();
            switch (e.path("meta-type").asText()) {
                case "command" -> s.commands.put(name, e);
                case "event" -> s.events.put(name, e);
                default -> s.types.put(name, e);
            }
        }
        return s;
    }

    /** Whether the command exists. */
    public boolean hasCommand(String command) {
        return commands.containsKey(command);
    }

    /** Whether the event exists. */
    public boolean hasEvent(String event) {
        return events.containsKey(event);
    }

    /** Whether the command may be sent with {@code exec-oob}. */
    public boolean allowsOob(String command) {
        JsonNode c = commands.get(command);
        return c != null && c.path("allow-oob").asBoolean(false);
    }

    /** Whether {@code command} exists and accepts the top-level argument {@code argument}. */
    public boolean hasArgument(String command, String argument) {
        JsonNode c = commands.get(command);
        return c != null && memberNames(c.path("arg-type").asText()).contains(argument);
    }

    /** Top-level argument names of {@code command} (empty if unknown or none). */
    public Set<String> arguments(String command) {
        JsonNode c = commands.get(command);
        return c == null ? Set.of() : Collections.unmodifiableSet(memberNames(c.path("arg-type").asText()));
    }

    /** All command names. */
    public Set<String> commandNames() {
        return Collections.unmodifiableSet(commands.keySet());
    }

    /** All event names. */
    public Set<String> eventNames() {
        return Collections.unmodifiableSet(events.keySet());
    }

    private Set<String> memberNames(String typeName) {
        Set<String> names = new HashSet<>();
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(typeName);
        while (!todo.isEmpty()) {
            String t = todo.poll();
            JsonNode type = types.get(t);
            if (type == null || !seen.add(t) || !"object".equals(type.path("meta-type").asText())) {
                continue;
            }
            type.path("members").forEach(m -> names.add(m.path("name").asText()));
            type.path("variants").forEach(v -> todo.add(v.path("type").asText()));
        }
        return names;
    }
}

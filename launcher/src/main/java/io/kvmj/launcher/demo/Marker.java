package io.kvmj.launcher.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code KVMJ-DEMO: key[=value] k=v ...} line printed by the demo guest's init script.
 *
 * @param key      first word, e.g. {@code disk}, {@code start}, {@code done}
 * @param value    value of the first word ({@code PASS}/{@code FAIL} for checks), empty when it has none
 * @param fields   the remaining {@code k=v} words in order (a word without '=' maps to "")
 * @param atMillis when the host read the line, ms since QEMU start
 */
public record Marker(String key, String value, Map<String, String> fields, long atMillis) {
    /** The prefix every marker line carries. */
    public static final String PREFIX = "KVMJ-DEMO: ";

    public Marker {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** True for a check marker that reported {@code PASS}. */
    public boolean pass() {
        return "PASS".equals(value);
    }

    /** A field value, if present. */
    public Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /**
     * Parses a console line; the marker may be preceded by other output on the same line (kernel messages
     * interleaving on the serial console).
     */
    public static Optional<Marker> parse(String line, long atMillis) {
        int at = line.indexOf(PREFIX);
        if (at < 0) {
            return Optional.empty();
        }
        String[] words = line.substring(at + PREFIX.length()).strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            return Optional.empty();
        }
        String key = words[0];
        String value = "";
        int eq = key.indexOf('=');
        if (eq >= 0) {
            value = key.substring(eq + 1);
            key = key.substring(0, eq);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++) {
            int e = words[i].indexOf('=');
            if (e < 0) {
                fields.put(words[i], "");
            } else {
                fields.put(words[i].substring(0, e), words[i].substring(e + 1));
            }
        }
        return Optional.of(new Marker(key, value, fields, atMillis));
    }
}

package io.kvmj.launcher.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed virt-install/QEMU style option string: {@code [VALUE,]key=value,key=value...}.
 *
 * <p>A comma inside a value is written doubled ({@code ,,}), as in QEMU, or the value (or part of it) is
 * quoted as virt-install accepts it: {@code path="/a,b.img"} or {@code "/a,b.img",format=raw}; the quotes
 * are removed, and inside double quotes {@code \"} and {@code \\} stand for {@code "} and {@code \}.
 * A leading element without
 * {@code =} is the value of the command's default key (for example {@code path} for {@code --disk}); a
 * later element without {@code =} is a flag with value {@code on}. Keys are case-sensitive and unique, except
 * the repeatable keys a caller names (QEMU's {@code hostfwd=}), whose values {@link #all(String)} returns in order.
 */
public final class OptionString {
    private final String option;
    private final Map<String, String> values;
    private final Map<String, List<String>> repeated;

    private OptionString(String option, Map<String, String> values, Map<String, List<String>> repeated) {
        this.option = option;
        this.values = Collections.unmodifiableMap(values);
        this.repeated = Collections.unmodifiableMap(repeated);
    }

    /**
     * Parses {@code text}.
     *
     * @param option     the option name for error messages, e.g. {@code --disk}
     * @param defaultKey key of a leading bare value, or {@code null} if none is allowed
     * @param allowed    the accepted keys (an unknown key is an error that lists them)
     * @throws IllegalArgumentException on syntax errors, unknown or repeated keys
     */
    public static OptionString parse(String option, String text, String defaultKey, Set<String> allowed) {
        return parse(option, text, defaultKey, allowed, Set.of());
    }

    /**
     * As {@link #parse(String, String, String, Set)}; the keys in {@code repeatable} may be given more than once
     * (read them with {@link #all(String)}; {@link #get(String)} answers the first).
     */
    public static OptionString parse(String option, String text, String defaultKey, Set<String> allowed,
                                     Set<String> repeatable) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(option + ": empty value");
        }
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, List<String>> multi = new LinkedHashMap<>();
        int i = 0;
        int index = 0;
        while (i <= text.length()) {
            StringBuilder el = new StringBuilder();
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '"' || c == '\'') {
                    i = quoted(option, text, i, el);
                    continue;
                }
                if (c == ',') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == ',') {
                        el.append(',');
                        i += 2;
                        continue;
                    }
                    break;
                }
                el.append(c);
                i++;
            }
            i++; // skip the separating comma (or step past the end)
            String e = el.toString();
            if (e.isEmpty()) {
                throw new IllegalArgumentException(option + ": empty element in '" + text + "'");
            }
            int eq = e.indexOf('=');
            String key;
            String value;
            if (eq < 0) {
                if (index == 0 && defaultKey != null) {
                    key = defaultKey;
                    value = e;
                } else {
                    key = e;
                    value = "on";
                }
            } else {
                key = e.substring(0, eq);
                value = e.substring(eq + 1);
            }
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(option + ": unknown key '" + key + "' in '" + text
                        + "' (known: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
            if (repeatable.contains(key)) {
                multi.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                out.putIfAbsent(key, value);
            } else if (out.put(key, value) != null) {
                throw new IllegalArgumentException(option + ": '" + key + "' given twice in '" + text + "'");
            }
            index++;
        }
        return new OptionString(option, out, multi);
    }

    /** Every value of a repeatable key, in the order given (empty when absent); for other keys, at most one. */
    public List<String> all(String key) {
        List<String> r = repeated.get(key);
        if (r != null) {
            return r;
        }
        return get(key).map(List::of).orElse(List.of());
    }

    /**
     * Copies the quoted section starting at {@code text[start]} (a {@code "} or {@code '}) into {@code el}
     * without its quotes, as virt-install's shell-like splitting does: commas inside are literal; inside
     * double quotes a backslash escapes {@code "} and {@code \\}. Returns the index after the closing quote.
     */
    private static int quoted(String option, String text, int start, StringBuilder el) {
        char q = text.charAt(start);
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == q) {
                return i + 1;
            }
            if (q == '"' && c == '\\' && i + 1 < text.length()
                    && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                el.append(text.charAt(i + 1));
                i += 2;
                continue;
            }
            el.append(c);
            i++;
        }
        throw new IllegalArgumentException(option + ": unterminated " + q + " quote in '" + text + "'");
    }

    /** The value of {@code key}, if given. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The value of {@code key}; an {@link IllegalArgumentException} naming the option when missing. */
    public String require(String key) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(option + ": '" + key + "=' is required");
        }
        return v;
    }

    /** {@code on/yes/true/1} → true, {@code off/no/false/0} → false, absent → {@code dflt}. */
    public boolean flag(String key, boolean dflt) {
        String v = values.get(key);
        if (v == null) {
            return dflt;
        }
        switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "on": case "yes": case "true": case "1": return true;
            case "off": case "no": case "false": case "0": return false;
            default: throw new IllegalArgumentException(option + ": " + key + "=" + v + " is not on/off");
        }
    }

    /** {@code value} checked against the allowed set, with a clear error. */
    public Optional<String> oneOf(String key, Set<String> choices) {
        String v = values.get(key);
        if (v != null && !choices.contains(v)) {
            throw new IllegalArgumentException(option + ": " + key + "=" + v + " is not one of "
                    + String.join("|", new java.util.TreeSet<>(choices)));
        }
        return Optional.ofNullable(v);
    }

    /** All keys and values in the order given. */
    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return option + values;
    }
}

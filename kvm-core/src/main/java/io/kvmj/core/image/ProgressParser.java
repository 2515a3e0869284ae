package io.kvmj.core.image;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses qemu-img's {@code -p} output: records like {@code "    (42.00/100%)"} separated by carriage returns.
 * Feed it characters; each complete record that is a progress figure goes to the listener, every other
 * complete line is kept as ordinary output.
 */
final class ProgressParser {
    private static final Pattern RECORD = Pattern.compile("\\s*\\((\\d{1,3}(?:\\.\\d+)?)/100%\\)\\s*");

    private final ProgressListener listener;
    private final StringBuilder current = new StringBuilder();
    private final StringBuilder other = new StringBuilder();
    private double last = -1;

    ProgressParser(ProgressListener listener) {
        this.listener = listener;
    }

    /** Parses one record; empty if it is not a progress figure. */
    static OptionalDouble parseRecord(CharSequence record) {
        Matcher m = RECORD.matcher(record);
        return m.matches() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    void accept(char c) {
        if (c == '\r' || c == '\n') {
            flush();
        } else {
            current.append(c);
        }
    }

    void finish() {
        flush();
    }

    /** Everything that was not a progress record, one line each. */
    String otherOutput() {
        return other.toString();
    }

    private void flush() {
        if (current.length() == 0) {
            return;
        }
        OptionalDouble p = parseRecord(current);
        if (p.isPresent()) {
            double v = Math.min(100.0, p.getAsDouble());
            if (v >= last) {
                last = v;
                listener.progress(v);
            }
        } else {
            other.append(current).append('\n');
        }
        current.setLength(0);
    }
}

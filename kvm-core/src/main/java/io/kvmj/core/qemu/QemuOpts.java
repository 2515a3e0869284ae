package io.kvmj.core.qemu;

import io.kvmj.core.model.InvalidSpecException;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds one QEMU option argument such as {@code virtio-blk-pci,drive=disk0,serial=a,,b}. This is the single
 * place where values are escaped: {@code ,} becomes {@code ,,} in every value (paths, tags, ids, serials),
 * and values QEMU cannot carry (newline, carriage return, NUL) are refused with {@link InvalidSpecException}.
 */
public final class QemuOpts {
    private final String field;
    private final List<String> parts = new ArrayList<>();

    private QemuOpts(String field) { this.field = field; }

    /** Starts an option whose first element is an implied value (e.g. the device driver), escaped too. */
    public static QemuOpts of(String field, String impliedValue) {
        QemuOpts o = new QemuOpts(field);
        o.parts.add(escape(field, impliedValue));
        return o;
    }

    /** Starts an option that only has key=value pairs. */
    public static QemuOpts keys(String field) { return new QemuOpts(field); }

    /** Appends {@code key=value}; a null value is skipped. */
    public QemuOpts add(String key, Object value) {
        if (value == null) return this;
        if (!key.matches("[a-z][a-z0-9_.-]*")) throw new IllegalArgumentException("bad option key " + key);
        parts.add(key + "=" + escape(field + "." + key, String.valueOf(value)));
        return this;
    }

    /** Appends {@code key=on|off}. */
    public QemuOpts onOff(String key, boolean on) { return add(key, on ? "on" : "off"); }

    /** Appends {@code key=on} only when {@code on}. */
    public QemuOpts flag(String key, boolean on) { return on ? add(key, "on") : this; }

    public String render() { return String.join(",", parts); }

    @Override
    public String toString() { return render(); }

    /**
     * Escapes one option value: {@code ,} → {@code ,,}. Refuses newline, carriage return and NUL, naming {@code field}.
     */
    public static String escape(String field, String value) {
        checkCarriable(field, value);
        return value.replace(",", ",,");
    }

    /** Refuses values that cannot be passed to QEMU at all (newline, CR, NUL) — also used for raw arguments. */
    public static void checkCarriable(String field, String value) {
        if (value == null) throw new InvalidSpecException(field, null, "value missing");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r' || c == '\0') {
                throw new InvalidSpecException(field, value, "contains a newline or NUL character, which QEMU options cannot carry");
            }
        }
    }
}

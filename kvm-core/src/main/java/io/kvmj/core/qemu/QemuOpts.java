package io.kvmj.core.qemu;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.model.InvalidSpecException;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds one QEMU option argument such as {@code virtio-blk-pci,drive=disk0,serial=a,,b}. This is the single
 * place where values are escaped: {@code ,} becomes {@code ,,} in every value (paths, tags, ids, serials),
 * and values QEMU cannot carry (newline, carriage return, NUL) are refused with {@link InvalidSpecException}.
 *
 * <p>The same option also renders as the JSON arguments of the matching QMP command ({@link #toQmp(String)}, e.g.
 * {@code blockdev-add}, {@code device_add}), so a device hot-plugged over QMP is configured exactly like one given on
 * the command line: values keep their type ({@link #onOff}/{@link #flag} are JSON booleans, numbers stay numbers) and
 * dotted keys become nested objects ({@code cache.direct=on} is {@code "cache": {"direct": true}}).
 * <pre>{@code
 * QemuOpts o = QemuOpts.of("device", "virtio-blk-pci").add("id", "disk1").add("bootindex", 2);
 * o.render();            // virtio-blk-pci,id=disk1,bootindex=2
 * o.toQmp("driver");     // {"driver":"virtio-blk-pci","id":"disk1","bootindex":2}
 * }</pre>
 */
public final class QemuOpts {
    private final String field;
    private final List<String> parts = new ArrayList<>();
    private final List<Object[]> typed = new ArrayList<>();
    private String implied;

    private QemuOpts(String field) { this.field = field; }

    /** Starts an option whose first element is an implied value (e.g. the device driver), escaped too. */
    public static QemuOpts of(String field, String impliedValue) {
        QemuOpts o = new QemuOpts(field);
        o.parts.add(escape(field, impliedValue));
        o.implied = impliedValue;
        return o;
    }

    /** Starts an option that only has key=value pairs. */
    public static QemuOpts keys(String field) { return new QemuOpts(field); }

    /** Appends {@code key=value}; a null value is skipped. */
    public QemuOpts add(String key, Object value) {
        if (value == null) {
            return this;
        }
        if (!key.matches("[a-z][a-z0-9_.-]*")) {
            throw new IllegalArgumentException("bad option key " + key);
        }
        parts.add(key + "=" + escape(field + "." + key, String.valueOf(value)));
        typed.add(new Object[] {key, value});
        return this;
    }

    /** Appends {@code key=on|off} (a JSON boolean in {@link #toQmp}). */
    public QemuOpts onOff(String key, boolean on) {
        add(key, on ? "on" : "off");
        typed.get(typed.size() - 1)[1] = on;
        return this;
    }

    /** Appends {@code key=on} only when {@code on}. */
    public QemuOpts flag(String key, boolean on) { return on ? onOff(key, true) : this; }

    /**
     * The QMP arguments of this option: the implied value (if any) under {@code impliedKey} (e.g. {@code driver} for
     * {@code device_add}), then every key, dotted keys nested. Strings stay strings (an on/off-auto property given as
     * {@code add(k, "on")} stays {@code "on"}), numbers stay numbers, {@link #onOff} values are booleans.
     */
    public ObjectNode toQmp(String impliedKey) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        if (implied != null) {
            root.put(impliedKey, implied);
        }
        for (Object[] kv : typed) {
            String[] path = ((String) kv[0]).split("\\.");
            ObjectNode at = root;
            for (int i = 0; i < path.length - 1; i++) {
                at = at.has(path[i]) ? (ObjectNode) at.get(path[i]) : at.putObject(path[i]);
            }
            String leaf = path[path.length - 1];
            Object v = kv[1];
            if (v instanceof Boolean b) {
                at.put(leaf, b);
            } else if (v instanceof Integer n) {
                at.put(leaf, n);
            } else if (v instanceof Long n) {
                at.put(leaf, n);
            } else {
                at.put(leaf, String.valueOf(v));
            }
        }
        return root;
    }

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
        if (value == null) {
            throw new InvalidSpecException(field, null, "value missing");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r' || c == '\0') {
                throw new InvalidSpecException(field, value, "contains a newline or NUL character, which QEMU options cannot carry");
            }
        }
    }
}

package io.kvmj.core.model;

/** A guest specification that cannot be rendered or run; names the offending field and value. */
public class InvalidSpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String value;

    public InvalidSpecException(String field, Object value, String reason) {
        super(field + "=" + quote(value) + ": " + reason);
        this.field = field;
        this.value = value == null ? null : String.valueOf(value);
    }

    private static String quote(Object v) {
        if (v == null) {
            return "null";
        }
        String s = String.valueOf(v).replace("\n", "\\n").replace("\0", "\\0");
        return "'" + s + "'";
    }

    /** The spec field, e.g. {@code disks[disk0].cache}. */
    public String field() { return field; }

    /** The rejected value as a string (may be null). */
    public String value() { return value; }
}

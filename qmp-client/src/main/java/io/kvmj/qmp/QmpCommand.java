package io.kvmj.qmp;

import com.fasterxml.jackson.databind.JavaType;

/**
 * A typed QMP command. The generic mechanism: the implementing record's components <em>are</em> the QMP
 * arguments (serialised by the shared Jackson mapper; {@code null} components are omitted; use
 * {@code @JsonProperty("node-name")} for hyphenated names), and the {@code return} value is mapped to
 * {@link #responseType()}.
 *
 * <pre>{@code
 * record QueryStatus() implements QmpCommand<StatusInfo> {
 *     public String name() { return "query-status"; }
 *     public JavaType responseType() { return QmpTypes.of(StatusInfo.class); }
 * }
 * }</pre>
 *
 * @param <R> the mapped reply type; {@code Void} for commands returning {@code {}}
 */
public interface QmpCommand<R> {

    /** The QMP command name, e.g. {@code query-status}. */
    String name();

    /** The Java type the {@code return} value is mapped to. */
    JavaType responseType();

    /**
     * The arguments object: by default this record itself. Override to build arguments that a record cannot
     * express (free-form device properties, blockdev option unions).
     */
    default Object arguments() {
        return this;
    }
}

package io.kvmj.qmp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one shared Jackson {@link ObjectMapper} of the QMP client (thread-safe once configured). Unknown properties
 * are ignored (QEMU adds fields between versions); {@code null} record components are omitted from arguments, so
 * optional QMP arguments are simply left {@code null}.
 */
public final class QmpJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .defaultPropertyInclusion(
                    JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private QmpJson() {
    }

    /** The shared mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A new empty object node, handy for building arguments. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * Converts command arguments (a record, a map, a {@link JsonNode} or {@code null}) to an object node;
     * returns {@code null} when there are no arguments.
     */
    public static ObjectNode toArguments(Object arguments) {
        if (arguments == null) {
            return null;
        }
        JsonNode node = arguments instanceof JsonNode j ? j : MAPPER.valueToTree(arguments);
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("QMP arguments must be a JSON object, got " + node.getNodeType());
        }
        return node.isEmpty() ? null : (ObjectNode) node;
    }

    /** Maps a reply's {@code return} value to {@code type}; {@code Void} yields {@code null}. */
    public static <R> R convert(JsonNode value, JavaType type, String command) {
        if (type.getRawClass() == Void.class || type.getRawClass() == void.class) {
            return null;
        }
        if (type.getRawClass() == JsonNode.class) {
            @SuppressWarnings("unchecked")
            R r = (R) value;
            return r;
        }
        try {
            return MAPPER.treeToValue(value, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new QmpProtocolException("cannot map reply of " + command + " to " + type + ": " + e.getMessage(), e);
        }
    }
}

package io.kvmj.qmp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The one shared Jackson {@link ObjectMapper} of the QMP client (thread-safe once configured). Unknown properties
 * are ignored (QEMU adds fields between versions); {@code null} record components are omitted from arguments, so
 * optional QMP arguments are simply left {@code null}.
 */
public final class QmpJson {
    /** The tokenizer every QMP line goes through (jackson-core, no data binding: see {@link #readTree}). */
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private QmpJson() {
    }

    /**
     * The data-binding mapper, built on first use: typed commands, events and arguments need it, a one-shot
     * {@code query-status} ({@link QmpOneShot}) does not, and building it was a large part of {@code kvmj list}'s
     * start time (issue 19).
     */
    private static final class Mapper {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .defaultPropertyInclusion(
                        JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                .build();
    }

    /** The shared mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return Mapper.MAPPER;
    }

    /**
     * Parses one QMP message (a line) into a tree, as {@code mapper().readTree(in)} does with default settings (ints
     * as int/long/big-integer nodes by size, floats as doubles, a repeated key's last value wins, anything after the
     * first value ignored) but without building the mapper; both the {@link QmpClient} and {@link QmpOneShot} read
     * every line through here. Returns {@code null} for empty input.
     *
     * @throws IOException when the line is not well-formed JSON
     */
    public static JsonNode readTree(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            return p.nextToken() == null ? null : node(p);
        }
    }

    /** {@link #readTree(InputStream)} of a byte array. */
    public static JsonNode readTree(byte[] line) throws IOException {
        try (JsonParser p = FACTORY.createParser(line)) {
            return p.nextToken() == null ? null : node(p);
        }
    }

    /** The value at the parser's current token, its children read. */
    private static JsonNode node(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, node(p));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(node(p));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL ? NODES.numberNode(p.getDecimalValue())
                        : NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new JsonParseException(p, "unexpected " + p.currentToken());
        }
    }

    /** A new empty object node, handy for building arguments. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /**
     * Converts command arguments (a record, a map, a {@link JsonNode} or {@code null}) to an object node;
     * returns {@code null} when there are no arguments.
     */
    public static ObjectNode toArguments(Object arguments) {
        if (arguments == null) {
            return null;
        }
        JsonNode node = arguments instanceof JsonNode j ? j : mapper().valueToTree(arguments);
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
            return mapper().treeToValue(value, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new QmpProtocolException("cannot map reply of " + command + " to " + type + ": " + e.getMessage(), e);
        }
    }

    /**
     * One request line as sent on the wire: {@code {"execute":NAME,"arguments":{...},"id":ID}} and a LF
     * ({@code exec-oob} instead of {@code execute} when {@code oob}); empty or null arguments are left out.
     */
    public static byte[] request(String command, JsonNode arguments, String id, boolean oob) {
        boolean args = arguments != null && !arguments.isNull() && !arguments.isEmpty();
        try {
            if (args) {
                ObjectNode req = NODES.objectNode();
                req.put(oob ? "exec-oob" : "execute", command);
                req.set("arguments", arguments);
                req.put("id", id);
                return line(mapper().writeValueAsBytes(req));
            }
            // without arguments there is no tree to write: the same bytes without the mapper (QmpJsonTest)
            ByteArrayOutputStream out = new ByteArrayOutputStream(64);
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField(oob ? "exec-oob" : "execute", command);
                g.writeStringField("id", id);
                g.writeEndObject();
            }
            return line(out.toByteArray());
        } catch (IOException e) {
            throw new QmpException("cannot serialise " + command, e);
        }
    }

    private static byte[] line(byte[] json) {
        byte[] bytes = Arrays.copyOf(json, json.length + 1);
        bytes[json.length] = '\n';
        return bytes;
    }
}

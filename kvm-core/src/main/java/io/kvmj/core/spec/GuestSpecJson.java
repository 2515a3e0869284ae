package io.kvmj.core.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.model.CloudInitSpec;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.InvalidSpecException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The versioned JSON form of a {@link GuestSpec}: every record component by name, enums by constant name, paths as
 * strings, disk sources tagged with {@code "kind"} ({@code File}, {@code HostDevice}, {@code Nbd}); the top level also
 * holds {@code "kvmjSpecVersion": 1}. Unknown fields are refused, missing ones take the model's defaults.
 * Passwords are never written: a generated cloud-init root password becomes {@code "rootPasswordGenerate": true}
 * (a new one is generated when read), a given one is left out; so is a VNC password given as text
 * ({@code passwordFile} is kept).
 *
 * <pre>{@code
 * String json = GuestSpecJson.write(spec);            // {"kvmjSpecVersion":1,"name":"vm1",...}
 * GuestSpec again = GuestSpecJson.read(json);         // equal to spec
 * GuestSpec fromDryRun = GuestSpecJson.read(out);     // also accepts {"spec":{...},"argv":[...]} (kvmj run --dry-run --json)
 * }</pre>
 */
public final class GuestSpecJson {
    /** The version this kvmj writes and reads. */
    public static final int VERSION = 1;
    /** Name of the version field. */
    public static final String VERSION_FIELD = "kvmjSpecVersion";

    private static final ObjectMapper MAPPER = mapper();

    private GuestSpecJson() {}

    /** The spec as a JSON tree, {@code kvmjSpecVersion} first. */
    public static ObjectNode toTree(GuestSpec spec) {
        ObjectNode body = MAPPER.valueToTree(spec);
        ObjectNode out = MAPPER.createObjectNode().put(VERSION_FIELD, VERSION);
        out.setAll(body);
        JsonNode ci = out.get("cloudInit");
        if (ci instanceof ObjectNode o && spec.cloudInit() != null && spec.cloudInit().rootPasswordGenerated()) {
            o.put("rootPasswordGenerate", true);
        }
        return out;
    }

    /** Pretty-printed JSON with a trailing newline. */
    public static String write(GuestSpec spec) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toTree(spec)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a spec document (or a {@code kvmj run --dry-run --json} output holding one under {@code "spec"}). */
    public static GuestSpec read(String json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException("spec", firstLine(e.getOriginalMessage()), "not JSON");
        }
        return fromTree(n);
    }

    /** Like {@link #read(String)} on a parsed tree. */
    public static GuestSpec fromTree(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new InvalidSpecException("spec", n == null ? null : n.getNodeType(), "a spec is a JSON object");
        }
        if (!n.has(VERSION_FIELD) && n.get("spec") instanceof ObjectNode inner) {
            n = inner; // the whole dry-run output
        }
        JsonNode v = n.get(VERSION_FIELD);
        if (v == null) {
            throw new InvalidSpecException(VERSION_FIELD, null, "missing; a kvmj spec starts with {\"" + VERSION_FIELD
                    + "\": " + VERSION + ", ...}");
        }
        if (!v.isInt() || v.intValue() != VERSION) {
            throw new InvalidSpecException(VERSION_FIELD, v, "this kvmj reads version " + VERSION);
        }
        ObjectNode body = ((ObjectNode) n).deepCopy();
        body.remove(VERSION_FIELD);
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual()) {
            throw new InvalidSpecException("name", name, "a spec needs a \"name\" string");
        }
        // absent fields take the builder's defaults (e.g. nodefaults true), not Java's false/0
        ObjectNode defaults = MAPPER.valueToTree(GuestSpec.builder(name.asText()).build());
        defaults.fieldNames().forEachRemaining(f -> {
            if (!body.has(f)) {
                body.set(f, defaults.get(f));
            }
        });
        boolean generate = false;
        if (body.get("cloudInit") instanceof ObjectNode ci) {
            JsonNode g = ci.remove("rootPasswordGenerate");
            generate = g != null && g.asBoolean();
        }
        GuestSpec spec;
        try {
            spec = MAPPER.treeToValue(body, GuestSpec.class);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof InvalidSpecException ise) {
                throw ise;
            }
            if (e.getCause() instanceof NullPointerException npe && npe.getMessage() != null) {
                throw new InvalidSpecException(path(e) + "." + npe.getMessage(), null, "missing");
            }
            throw new InvalidSpecException(path(e), null, firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException("spec", null, firstLine(e.getOriginalMessage()));
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof InvalidSpecException ise) {
                throw ise;
            }
            throw new InvalidSpecException("spec", null, firstLine(e.getMessage()));
        }
        if (generate && spec.cloudInit() != null) {
            spec = spec.toBuilder().cloudInit(spec.cloudInit().toBuilder().rootPasswordGenerate(true).build()).build();
        }
        return spec;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "spec" : sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static ObjectMapper mapper() {
        SimpleModule m = new SimpleModule("kvmj-spec");
        m.addSerializer(Path.class, new JsonSerializer<>() {
            @Override
            public void serialize(Path p, JsonGenerator g, SerializerProvider sp) throws IOException {
                g.writeString(p.toString());
            }
        });
        m.addDeserializer(Path.class, new JsonDeserializer<>() {
            @Override
            public Path deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return Path.of(p.getValueAsString());
            }
        });
        m.setMixInAnnotation(DiskSource.class, DiskSourceMixin.class);
        m.setMixInAnnotation(CloudInitSpec.class, CloudInitMixin.class);
        m.setMixInAnnotation(io.kvmj.core.model.VncSpec.class, VncMixin.class);
        return JsonMapper.builder().addModule(m)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
    }

    /** Same tagging as the migrate branch's spec.json: {@code "kind": "File" | "HostDevice" | "Nbd"}. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "kind")
    @JsonSubTypes({
        @JsonSubTypes.Type(DiskSource.File.class),
        @JsonSubTypes.Type(DiskSource.HostDevice.class),
        @JsonSubTypes.Type(DiskSource.Nbd.class)})
    private interface DiskSourceMixin {}

    @JsonIgnoreProperties(value = {"rootPassword", "rootPasswordGenerated"}, allowGetters = false)
    private interface CloudInitMixin {}

    /** A VNC password given as text is not written (a {@code passwordFile} is: it names a file, not the secret). */
    @JsonIgnoreProperties(value = {"password"}, allowGetters = false)
    private interface VncMixin {}
}

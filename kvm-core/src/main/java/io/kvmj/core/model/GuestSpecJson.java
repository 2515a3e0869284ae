package io.kvmj.core.model;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON form of a {@link GuestSpec}: every record component by its Java name, enums by constant name, paths as
 * strings, {@link DiskSource} with a {@code "kind"} of {@code File}, {@code HostDevice} or {@code Nbd}. Unknown
 * properties are refused, so a typo is an error rather than a silently dropped setting.
 *
 * <pre>{@code
 * String json = GuestSpecJson.write(spec);
 * GuestSpec same = GuestSpecJson.read(json);   // equals(spec)
 * }</pre>
 *
 * <p>Used for the spec kvmj records next to a running guest ({@code spec.json}, for migration) and in save files;
 * meant to become the {@code kvmj run --spec} format.
 */
public final class GuestSpecJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(SerializationFeature.INDENT_OUTPUT, true)
            .addMixIn(DiskSource.class, DiskSourceMixin.class)
            .build();

    private GuestSpecJson() {
    }

    /** The spec as JSON (indented). */
    public static String write(GuestSpec spec) {
        try {
            return MAPPER.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write guest spec '" + spec.name() + "' as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * A spec from JSON written by {@link #write}.
     *
     * @throws InvalidSpecException when the JSON is malformed or describes an invalid spec
     */
    public static GuestSpec read(String json) {
        try {
            return MAPPER.readValue(json, GuestSpec.class);
        } catch (JsonProcessingException e) {
            Throwable c = e.getCause() instanceof InvalidSpecException ise ? ise : e;
            throw new InvalidSpecException("spec", "JSON", c.getMessage().lines().findFirst().orElse(""));
        }
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "kind")
    @JsonSubTypes({@JsonSubTypes.Type(DiskSource.File.class), @JsonSubTypes.Type(DiskSource.HostDevice.class),
            @JsonSubTypes.Type(DiskSource.Nbd.class)})
    private interface DiskSourceMixin {
    }
}

package io.kvmj.qmp;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.type.TypeFactory;

/** Helpers to build {@link JavaType}s for {@link QmpCommand#responseType()}. */
public final class QmpTypes {
    private static final TypeFactory TF = QmpJson.mapper().getTypeFactory();
    /** Type for commands that return {@code {}}. */
    public static final JavaType VOID = TF.constructType(Void.class);
    /** Type for commands whose reply is kept as raw JSON. */
    public static final JavaType JSON = TF.constructType(JsonNode.class);

    private QmpTypes() {
    }

    /** A plain type. */
    public static JavaType of(Class<?> type) {
        return TF.constructType(type);
    }

    /** {@code List<element>}. */
    public static JavaType listOf(Class<?> element) {
        return TF.constructCollectionType(java.util.List.class, element);
    }
}

package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code qom-get}: Reads a QOM property (any JSON value). */
public record QomGet(
        String path,
        String property) implements QmpCommand<JsonNode> {
    private static final JavaType RESPONSE = QmpTypes.JSON;

    public QomGet {
        java.util.Objects.requireNonNull(path, "path");
        java.util.Objects.requireNonNull(property, "property");
    }

    @Override
    public String name() {
        return "qom-get";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

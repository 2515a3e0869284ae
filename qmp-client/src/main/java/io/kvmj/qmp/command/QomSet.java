package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code qom-set}: Writes a QOM property. */
public record QomSet(
        String path,
        String property,
        JsonNode value) implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    public QomSet {
        java.util.Objects.requireNonNull(path, "path");
        java.util.Objects.requireNonNull(property, "property");
        java.util.Objects.requireNonNull(value, "value");
    }

    @Override
    public String name() {
        return "qom-set";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

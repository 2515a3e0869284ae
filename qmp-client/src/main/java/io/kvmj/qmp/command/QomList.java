package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;
import io.kvmj.qmp.model.ObjectPropertyInfo;
import java.util.List;

/** {@code qom-list}: Properties of the QOM object at {@code path}. */
public record QomList(
        String path) implements QmpCommand<List<ObjectPropertyInfo>> {
    private static final JavaType RESPONSE = QmpTypes.listOf(ObjectPropertyInfo.class);

    public QomList {
        java.util.Objects.requireNonNull(path, "path");
    }

    @Override
    public String name() {
        return "qom-list";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;
import io.kvmj.qmp.model.NameInfo;

/** {@code query-name}: The guest name given with {@code -name}. */
public record QueryName() implements QmpCommand<NameInfo> {
    private static final JavaType RESPONSE = QmpTypes.of(NameInfo.class);

    @Override
    public String name() {
        return "query-name";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;
import io.kvmj.qmp.model.MigrationInfo;

/** {@code query-migrate}: Migration status. */
public record QueryMigrate() implements QmpCommand<MigrationInfo> {
    private static final JavaType RESPONSE = QmpTypes.of(MigrationInfo.class);

    @Override
    public String name() {
        return "query-migrate";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

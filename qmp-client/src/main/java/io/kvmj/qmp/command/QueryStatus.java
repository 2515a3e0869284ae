package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;
import io.kvmj.qmp.model.StatusInfo;

/** {@code query-status}: Run state of the VM. */
public record QueryStatus() implements QmpCommand<StatusInfo> {
    private static final JavaType RESPONSE = QmpTypes.of(StatusInfo.class);

    @Override
    public String name() {
        return "query-status";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

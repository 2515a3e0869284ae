package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code job-cancel}: Cancels a job. */
public record JobCancel(
        String id) implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    public JobCancel {
        java.util.Objects.requireNonNull(id, "id");
    }

    @Override
    public String name() {
        return "job-cancel";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

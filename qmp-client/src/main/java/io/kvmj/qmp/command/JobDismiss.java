package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code job-dismiss}: Removes a concluded job. */
public record JobDismiss(
        String id) implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    public JobDismiss {
        java.util.Objects.requireNonNull(id, "id");
    }

    @Override
    public String name() {
        return "job-dismiss";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

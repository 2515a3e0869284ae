package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code job-complete}: Completes a job in the {@code ready} state (e.g. active commit, mirror). */
public record JobComplete(
        String id) implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    public JobComplete {
        java.util.Objects.requireNonNull(id, "id");
    }

    @Override
    public String name() {
        return "job-complete";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

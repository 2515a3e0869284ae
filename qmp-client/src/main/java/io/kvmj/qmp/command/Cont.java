package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code cont}: Resumes the VM (emits {@code RESUME}). */
public record Cont() implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    @Override
    public String name() {
        return "cont";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

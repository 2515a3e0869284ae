package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code stop}: Pauses the VM (emits {@code STOP}). */
public record Stop() implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    @Override
    public String name() {
        return "stop";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

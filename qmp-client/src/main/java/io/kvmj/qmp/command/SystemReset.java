package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code system_reset}: Resets the VM (emits {@code RESET}). */
public record SystemReset() implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    @Override
    public String name() {
        return "system_reset";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code balloon}: Sets the balloon target size in bytes. */
public record Balloon(
        long value) implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    @Override
    public String name() {
        return "balloon";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

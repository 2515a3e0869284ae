package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code quit}: Terminates QEMU; the disconnect that follows is a normal end of the session. */
public record Quit() implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    @Override
    public String name() {
        return "quit";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code migrate-incoming}: Starts listening for an incoming migration (QEMU started with {@code -incoming defer}). */
public record MigrateIncoming(
        String uri) implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    public MigrateIncoming {
        java.util.Objects.requireNonNull(uri, "uri");
    }

    @Override
    public String name() {
        return "migrate-incoming";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code migrate}: Starts an outgoing migration to {@code uri} (e.g. {@code unix:/path}, {@code tcp:host:port}, {@code exec:cmd}). */
public record Migrate(
        String uri,
        Boolean detach,
        Boolean resume) implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    /** Migration to {@code uri}. */
    public static Migrate to(String uri) {
        return new Migrate(uri, null, null);
    }

    public Migrate {
        java.util.Objects.requireNonNull(uri, "uri");
    }

    @Override
    public String name() {
        return "migrate";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

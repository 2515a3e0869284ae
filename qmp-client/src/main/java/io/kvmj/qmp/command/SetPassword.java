package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code set_password}: Sets the VNC or SPICE password; {@code connected}: {@code keep}, {@code disconnect}, {@code fail}. */
public record SetPassword(
        String protocol,
        String password,
        String connected,
        String display) implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    /** VNC password of the default display. */
    public static SetPassword vnc(String password) {
        return new SetPassword("vnc", password, null, null);
    }

    public SetPassword {
        java.util.Objects.requireNonNull(protocol, "protocol");
        java.util.Objects.requireNonNull(password, "password");
    }

    @Override
    public String name() {
        return "set_password";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code system_powerdown}: Requests an ACPI power-down (guest cooperation needed). */
public record SystemPowerdown() implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    @Override
    public String name() {
        return "system_powerdown";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

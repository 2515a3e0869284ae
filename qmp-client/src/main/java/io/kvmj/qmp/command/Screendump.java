package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code screendump}: Writes the display to a file ({@code format} {@code ppm} or {@code png} on newer QEMU). */
public record Screendump(
        String filename,
        String device,
        Integer head,
        String format) implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    /** PPM screendump of the default console. */
    public static Screendump of(String filename) {
        return new Screendump(filename, null, null, null);
    }

    public Screendump {
        java.util.Objects.requireNonNull(filename, "filename");
    }

    @Override
    public String name() {
        return "screendump";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

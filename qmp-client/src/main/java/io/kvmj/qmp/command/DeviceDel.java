package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code device_del}: Requests removal of a device; completion is signalled by {@code DEVICE_DELETED}: use {@link io.kvmj.qmp.QmpMonitor#deviceDel(String, java.time.Duration)} to wait for it. */
public record DeviceDel(
        String id) implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    public DeviceDel {
        java.util.Objects.requireNonNull(id, "id");
    }

    @Override
    public String name() {
        return "device_del";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

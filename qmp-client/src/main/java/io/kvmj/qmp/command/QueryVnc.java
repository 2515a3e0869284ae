package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;
import io.kvmj.qmp.model.VncInfo;

/** {@code query-vnc}: VNC server state. */
public record QueryVnc() implements QmpCommand<VncInfo> {
    private static final JavaType RESPONSE = QmpTypes.of(VncInfo.class);

    @Override
    public String name() {
        return "query-vnc";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;
import io.kvmj.qmp.model.VersionInfo;

/** {@code query-version}: QEMU version. */
public record QueryVersion() implements QmpCommand<VersionInfo> {
    private static final JavaType RESPONSE = QmpTypes.of(VersionInfo.class);

    @Override
    public String name() {
        return "query-version";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;
import io.kvmj.qmp.model.KvmInfo;

/** {@code query-kvm}: Whether KVM is enabled and present. */
public record QueryKvm() implements QmpCommand<KvmInfo> {
    private static final JavaType RESPONSE = QmpTypes.of(KvmInfo.class);

    @Override
    public String name() {
        return "query-kvm";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

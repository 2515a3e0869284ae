package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;
import io.kvmj.qmp.model.CpuInfoFast;
import java.util.List;

/** {@code query-cpus-fast}: vCPUs with their host thread ids (does not interrupt the guest). */
public record QueryCpusFast() implements QmpCommand<List<CpuInfoFast>> {
    private static final JavaType RESPONSE = QmpTypes.listOf(CpuInfoFast.class);

    @Override
    public String name() {
        return "query-cpus-fast";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

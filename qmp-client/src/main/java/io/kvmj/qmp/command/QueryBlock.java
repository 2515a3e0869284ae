package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;
import io.kvmj.qmp.model.BlockInfo;
import java.util.List;

/** {@code query-block}: Block backends and their media. */
public record QueryBlock() implements QmpCommand<List<BlockInfo>> {
    private static final JavaType RESPONSE = QmpTypes.listOf(BlockInfo.class);

    @Override
    public String name() {
        return "query-block";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

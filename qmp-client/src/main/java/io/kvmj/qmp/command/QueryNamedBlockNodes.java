package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;
import io.kvmj.qmp.model.BlockDeviceInfo;
import java.util.List;

/**
 * {@code query-named-block-nodes}: every named block node; {@code flat} = true reports each node's own image
 * only (no nested {@code backing-image}), e.g. {@code qmp.call(QueryNamedBlockNodes.flatNodes())}.
 */
public record QueryNamedBlockNodes(Boolean flat) implements QmpCommand<List<BlockDeviceInfo>> {
    private static final JavaType RESPONSE = QmpTypes.listOf(BlockDeviceInfo.class);

    /** All nodes, each with its own image only. */
    public static QueryNamedBlockNodes flatNodes() {
        return new QueryNamedBlockNodes(true);
    }

    @Override
    public String name() {
        return "query-named-block-nodes";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

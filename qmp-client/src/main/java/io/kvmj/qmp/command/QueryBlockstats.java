package io.kvmj.qmp.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;
import io.kvmj.qmp.model.BlockStats;
import java.util.List;

/** {@code query-blockstats}: Block I/O statistics; {@code queryNodes} also reports every named node. */
public record QueryBlockstats(
        @JsonProperty("query-nodes") Boolean queryNodes) implements QmpCommand<List<BlockStats>> {
    private static final JavaType RESPONSE = QmpTypes.listOf(BlockStats.class);

    /** Statistics of block backends only. */
    public QueryBlockstats() {
        this(null);
    }

    @Override
    public String name() {
        return "query-blockstats";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

package io.kvmj.qmp.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code blockdev-del}: Deletes a block node added with {@code blockdev-add}. */
public record BlockdevDel(
        @JsonProperty("node-name") String nodeName) implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    public BlockdevDel {
        java.util.Objects.requireNonNull(nodeName, "nodeName");
    }

    @Override
    public String name() {
        return "blockdev-del";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

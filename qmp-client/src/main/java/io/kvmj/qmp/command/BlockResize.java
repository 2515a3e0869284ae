package io.kvmj.qmp.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code block_resize}: Grows or shrinks a block device; give {@code device} or {@code nodeName}. */
public record BlockResize(
        String device,
        @JsonProperty("node-name") String nodeName,
        long size) implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    /** Resize of the block node {@code nodeName} to {@code size} bytes. */
    public static BlockResize node(String nodeName, long size) {
        return new BlockResize(null, java.util.Objects.requireNonNull(nodeName, "nodeName"), size);
    }

    /** Resize of the block backend {@code device} to {@code size} bytes. */
    public static BlockResize device(String device, long size) {
        return new BlockResize(java.util.Objects.requireNonNull(device, "device"), null, size);
    }

    @Override
    public String name() {
        return "block_resize";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

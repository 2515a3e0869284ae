package io.kvmj.qmp.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code blockdev-snapshot-sync}: Creates an external snapshot (new overlay file) of a device or node. */
public record BlockdevSnapshotSync(
        String device,
        @JsonProperty("node-name") String nodeName,
        @JsonProperty("snapshot-file") String snapshotFile,
        @JsonProperty("snapshot-node-name") String snapshotNodeName,
        String format,
        String mode) implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    /** New qcow2 overlay {@code snapshotFile} (created by QEMU) on top of node {@code nodeName}. */
    public static BlockdevSnapshotSync node(String nodeName, String snapshotFile, String snapshotNodeName) {
        return new BlockdevSnapshotSync(null, nodeName, snapshotFile, snapshotNodeName, "qcow2", null);
    }

    public BlockdevSnapshotSync {
        java.util.Objects.requireNonNull(snapshotFile, "snapshotFile");
    }

    @Override
    public String name() {
        return "blockdev-snapshot-sync";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

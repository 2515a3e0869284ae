package io.kvmj.qmp.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code block-commit}: Starts a commit job merging {@code top} into {@code base} (active commit needs {@code job-complete}). */
public record BlockCommit(
        @JsonProperty("job-id") String jobId,
        String device,
        @JsonProperty("base-node") String baseNode,
        String base,
        @JsonProperty("top-node") String topNode,
        String top,
        @JsonProperty("backing-file") String backingFile,
        Long speed,
        @JsonProperty("filter-node-name") String filterNodeName,
        @JsonProperty("auto-finalize") Boolean autoFinalize,
        @JsonProperty("auto-dismiss") Boolean autoDismiss) implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    public BlockCommit {
        java.util.Objects.requireNonNull(device, "device");
    }

    /** Commit of the whole active layer of {@code device} into its base; finish it with {@code job-complete}. */
    public static BlockCommit active(String jobId, String device) {
        return new BlockCommit(jobId, device, null, null, null, null, null, null, null, null, null);
    }

    /** Commit of node {@code topNode} down into node {@code baseNode} of {@code device}. */
    public static BlockCommit nodes(String jobId, String device, String topNode, String baseNode) {
        return new BlockCommit(jobId, device, baseNode, null, topNode, null, null, null, null, null, null);
    }

    @Override
    public String name() {
        return "block-commit";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

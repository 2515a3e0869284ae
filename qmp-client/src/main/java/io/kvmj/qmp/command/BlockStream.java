package io.kvmj.qmp.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;

/** {@code block-stream}: Starts a stream job copying backing data into the top image. */
public record BlockStream(
        @JsonProperty("job-id") String jobId,
        String device,
        @JsonProperty("base-node") String baseNode,
        String base,
        String bottom,
        @JsonProperty("backing-file") String backingFile,
        Long speed,
        @JsonProperty("filter-node-name") String filterNodeName,
        @JsonProperty("auto-finalize") Boolean autoFinalize,
        @JsonProperty("auto-dismiss") Boolean autoDismiss) implements QmpCommand<Void> {
    private static final JavaType RESPONSE = QmpTypes.VOID;

    public BlockStream {
        java.util.Objects.requireNonNull(device, "device");
    }

    /** Streams all backing data into the top image of {@code device} (node name or device name). */
    public static BlockStream of(String jobId, String device) {
        return new BlockStream(jobId, device, null, null, null, null, null, null, null, null);
    }

    @Override
    public String name() {
        return "block-stream";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}

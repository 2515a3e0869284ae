package io.kvmj.qmp.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;
import java.util.Objects;

/**
 * {@code blockdev-backup}: starts a backup job copying node {@code device} into the existing node {@code target};
 * {@code sync} is {@code full}, {@code top}, {@code none} or {@code incremental}/{@code bitmap}.
 */
public record BlockdevBackup(
        @JsonProperty("job-id") String jobId,
        String device,
        String target,
        String sync,
        Long speed,
        @JsonProperty("auto-finalize") Boolean autoFinalize,
        @JsonProperty("auto-dismiss") Boolean autoDismiss) implements QmpCommand<Void> {

    public BlockdevBackup {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(sync, "sync");
    }

    /** A full point-in-time copy of {@code device} into {@code target}. */
    public static BlockdevBackup full(String jobId, String device, String target) {
        return new BlockdevBackup(jobId, device, target, "full", null, null, null);
    }

    @Override
    public String name() {
        return "blockdev-backup";
    }

    @Override
    public JavaType responseType() {
        return QmpTypes.VOID;
    }
}

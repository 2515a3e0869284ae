package io.kvmj.launcher.demo;

import io.kvmj.core.model.CacheMode;
import io.kvmj.core.host.HostEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The cache mode for the demo's scratch disk: {@link CacheMode#NONE} (O_DIRECT, bypasses the host page cache) when
 * the directory's filesystem accepts O_DIRECT (tmpfs does not), else {@link CacheMode#WRITEBACK} with the reason
 * stated. Probed with {@link HostEnvironment#supportsDirectIo}, the same probe the argv renderer validates with.
 *
 * @param mode   the cache mode
 * @param reason why
 */
public record DiskCacheMode(CacheMode mode, String reason) {
    public DiskCacheMode {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(reason, "reason");
    }

    /** Probes {@code dir} on the real host. */
    public static DiskCacheMode probe(Path dir) {
        return probe(dir, HostEnvironment.system());
    }

    /** Probes {@code dir} (a probe file is created in it with O_DIRECT and removed). */
    public static DiskCacheMode probe(Path dir, HostEnvironment host) {
        String fs = describe(dir);
        return host.supportsDirectIo(dir)
            ? new DiskCacheMode(CacheMode.NONE, fs + " supports O_DIRECT")
            : new DiskCacheMode(CacheMode.WRITEBACK, fs + " rejects O_DIRECT: falling back to cache=writeback");
    }

    /** QEMU's name of the mode, e.g. {@code none}. */
    public String qemuName() {
        return mode.qemuName();
    }

    private static String describe(Path dir) {
        try {
            return "the " + Files.getFileStore(dir).type() + " filesystem holding " + dir;
        } catch (IOException e) {
            return "the filesystem holding " + dir;
        }
    }
}

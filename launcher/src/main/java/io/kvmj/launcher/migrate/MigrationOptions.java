package io.kvmj.launcher.migrate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to migrate: QEMU's {@code downtime-limit} and {@code max-bandwidth} parameters, the {@code auto-converge}
 * and {@code postcopy-ram} capabilities, and how long kvmj waits in all.
 *
 * <pre>{@code
 * MigrationOptions o = MigrationOptions.defaults().withSpeedMiBps(64).withPostcopy(true);
 * MigrationOptions c = MigrationOptions.defaults().withCopyStorage(true, Map.of("root", Path.of("/srv/b.qcow2")));
 * }</pre>
 *
 * @param maxDowntime  the largest pause QEMU may plan for the final stop-and-copy, or null for QEMU's default (300 ms)
 * @param speedMiBps   bandwidth limit in MiB/s, 0 for unlimited
 * @param autoConverge throttle the guest's vCPUs when memory is dirtied faster than it is sent
 * @param postcopy     enable {@code postcopy-ram} on both sides and switch to post-copy after the first pass
 * @param timeout      the whole migration's limit; on expiry it is cancelled like a Ctrl-C
 * @param copyStorage  copy the guest's writable image-file disks to new files for the destination
 *                     ({@link StorageCopy}; for non-shared storage, like {@code virsh migrate --copy-storage-all})
 * @param storageTargets with {@code copyStorage}: disk id → new file; a disk not named gets
 *                     {@code STEM.NEWNAME.EXT} next to its source
 */
public record MigrationOptions(Duration maxDowntime, long speedMiBps, boolean autoConverge, boolean postcopy,
                               Duration timeout, boolean copyStorage, Map<String, Path> storageTargets) {
    public MigrationOptions {
        Objects.requireNonNull(timeout, "timeout");
        storageTargets = Map.copyOf(storageTargets == null ? Map.of() : storageTargets);
        if (!storageTargets.isEmpty() && !copyStorage) {
            throw new IllegalArgumentException("disk targets are for --copy-storage only");
        }
        if (copyStorage && postcopy) {
            throw new IllegalArgumentException("--copy-storage with --postcopy is not supported: the destination "
                    + "stays paused until its disk server is stopped after the migration (as libvirt does), which "
                    + "under post-copy would pause the guest for the whole post-copy phase");
        }
        if (speedMiBps < 0) {
            throw new IllegalArgumentException("speed must be >= 0 MiB/s, got " + speedMiBps);
        }
        if (maxDowntime != null && (maxDowntime.isNegative() || maxDowntime.isZero())) {
            throw new IllegalArgumentException("max downtime must be positive, got " + maxDowntime.toMillis() + " ms");
        }
    }

    /** QEMU's defaults, unlimited speed, 30 minutes timeout. */
    public static MigrationOptions defaults() {
        return new MigrationOptions(null, 0, false, false, Duration.ofMinutes(30), false, Map.of());
    }

    public MigrationOptions withMaxDowntime(Duration v) {
        return new MigrationOptions(v, speedMiBps, autoConverge, postcopy, timeout, copyStorage, storageTargets);
    }

    public MigrationOptions withSpeedMiBps(long v) {
        return new MigrationOptions(maxDowntime, v, autoConverge, postcopy, timeout, copyStorage, storageTargets);
    }

    public MigrationOptions withAutoConverge(boolean v) {
        return new MigrationOptions(maxDowntime, speedMiBps, v, postcopy, timeout, copyStorage, storageTargets);
    }

    public MigrationOptions withPostcopy(boolean v) {
        return new MigrationOptions(maxDowntime, speedMiBps, autoConverge, v, timeout, copyStorage, storageTargets);
    }

    public MigrationOptions withTimeout(Duration v) {
        return new MigrationOptions(maxDowntime, speedMiBps, autoConverge, postcopy, v, copyStorage, storageTargets);
    }

    /** Copy the writable image-file disks ({@link StorageCopy}) to {@code targets} (disk id → file; may be empty). */
    public MigrationOptions withCopyStorage(boolean v, Map<String, Path> targets) {
        return new MigrationOptions(maxDowntime, speedMiBps, autoConverge, postcopy, timeout, v, targets);
    }
}

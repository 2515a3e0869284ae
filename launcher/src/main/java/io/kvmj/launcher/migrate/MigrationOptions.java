package io.kvmj.launcher.migrate;

import java.time.Duration;
import java.util.Objects;

/**
 * How to migrate: QEMU's {@code downtime-limit} and {@code max-bandwidth} parameters, the {@code auto-converge}
 * and {@code postcopy-ram} capabilities, and how long kvmj waits in all.
 *
 * <pre>{@code
 * MigrationOptions o = MigrationOptions.defaults().withSpeedMiBps(64).withPostcopy(true);
 * }</pre>
 *
 * @param maxDowntime  the largest pause QEMU may plan for the final stop-and-copy, or null for QEMU's default (300 ms)
 * @param speedMiBps   bandwidth limit in MiB/s, 0 for unlimited
 * @param autoConverge throttle the guest's vCPUs when memory is dirtied faster than it is sent
 * @param postcopy     enable {@code postcopy-ram} on both sides and switch to post-copy after the first pass
 * @param timeout      the whole migration's limit; on expiry it is cancelled like a Ctrl-C
 */
public record MigrationOptions(Duration maxDowntime, long speedMiBps, boolean autoConverge, boolean postcopy,
                               Duration timeout) {
    public MigrationOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (speedMiBps < 0) {
            throw new IllegalArgumentException("speed must be >= 0 MiB/s, got " + speedMiBps);
        }
        if (maxDowntime != null && (maxDowntime.isNegative() || maxDowntime.isZero())) {
            throw new IllegalArgumentException("max downtime must be positive, got " + maxDowntime.toMillis() + " ms");
        }
    }

    /** QEMU's defaults, unlimited speed, 30 minutes timeout. */
    public static MigrationOptions defaults() {
        return new MigrationOptions(null, 0, false, false, Duration.ofMinutes(30));
    }

    public MigrationOptions withMaxDowntime(Duration v) {
        return new MigrationOptions(v, speedMiBps, autoConverge, postcopy, timeout);
    }

    public MigrationOptions withSpeedMiBps(long v) {
        return new MigrationOptions(maxDowntime, v, autoConverge, postcopy, timeout);
    }

    public MigrationOptions withAutoConverge(boolean v) {
        return new MigrationOptions(maxDowntime, speedMiBps, v, postcopy, timeout);
    }

    public MigrationOptions withPostcopy(boolean v) {
        return new MigrationOptions(maxDowntime, speedMiBps, autoConverge, v, timeout);
    }

    public MigrationOptions withTimeout(Duration v) {
        return new MigrationOptions(maxDowntime, speedMiBps, autoConverge, postcopy, v);
    }
}

package io.kvmj.launcher.migrate;

import java.time.Duration;

/**
 * One sample of {@code query-migrate} on the source.
 *
 * @param status            QEMU's status: {@code setup}, {@code active}, {@code postcopy-active}, {@code device},
 *                          {@code completed}, ...
 * @param elapsed           since kvmj sent {@code migrate}
 * @param transferredBytes  RAM bytes sent so far
 * @param remainingBytes    RAM bytes still to send
 * @param totalBytes        guest RAM
 * @param dirtyPagesRate    pages dirtied per second (0 until the first pass ends)
 * @param pageSize          bytes per page
 * @param passes            completed dirty-bitmap syncs ({@code dirty-sync-count}): 1 during the first pass
 * @param expectedDowntimeMs QEMU's estimate of the final pause, or null
 * @param mbps              current throughput in Mbit/s
 */
public record MigrationProgress(String status, Duration elapsed, long transferredBytes, long remainingBytes,
                                long totalBytes, long dirtyPagesRate, long pageSize, long passes,
                                Long expectedDowntimeMs, double mbps) {
    /** Percent of RAM sent, from remaining/total (0..100). */
    public double percent() {
        if (totalBytes <= 0) {
            return 0;
        }
        return Math.max(0, Math.min(100, 100.0 * (totalBytes - remainingBytes) / totalBytes));
    }

    /** Dirty-page rate in bytes per second. */
    public long dirtyBytesPerSecond() {
        return dirtyPagesRate * pageSize;
    }
}

package io.kvmj.launcher.storage;

/**
 * A snapshot of a running QEMU job from {@code query-jobs}.
 *
 * @param jobId   the job id
 * @param type    {@code commit}, {@code stream}, {@code backup}, ...
 * @param status  QEMU job status: created, running, paused, ready, standby, waiting, pending, aborting,
 *                concluded, null
 * @param current bytes (or units) done
 * @param total   estimated total; may grow while the guest writes
 */
public record JobProgress(String jobId, String type, String status, long current, long total) {
    /** Percent done, 0 when the total is not known yet. */
    public double percent() {
        return total <= 0 ? 0 : Math.min(100.0, 100.0 * current / total);
    }
}

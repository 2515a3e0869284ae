package io.kvmj.launcher.storage;

/**
 * The cache flags of a drive's active node, as {@code query-block} reports them.
 *
 * @param writeback the device reports a volatile write cache to the guest (guest flushes matter)
 * @param direct    host I/O bypasses the page cache ({@code O_DIRECT})
 * @param noFlush   guest flushes are ignored ({@code cache=unsafe})
 */
public record CacheFlags(boolean writeback, boolean direct, boolean noFlush) {
    /** The QEMU {@code cache=} mode these flags correspond to. */
    public String mode() {
        if (noFlush) {
            return "unsafe";
        }
        if (direct) {
            return writeback ? "none" : "directsync";
        }
        return writeback ? "writeback" : "writethrough";
    }
}

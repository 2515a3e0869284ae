package io.kvmj.launcher.storage;

import io.kvmj.core.model.CacheMode;

/**
 * The cache flags of a drive's active node, as {@code query-block} reports them.
 *
 * @param writeback the device reports a volatile write cache to the guest (guest flushes matter)
 * @param direct    host I/O bypasses the page cache ({@code O_DIRECT})
 * @param noFlush   guest flushes are ignored ({@code cache=unsafe})
 */
public record CacheFlags(boolean writeback, boolean direct, boolean noFlush) {
    /** The cache mode these flags correspond to ({@link CacheMode#of}). */
    public CacheMode cacheMode() {
        return CacheMode.of(direct, noFlush, writeback);
    }

    /** The QEMU {@code cache=} name of {@link #cacheMode()}, e.g. {@code none}. */
    public String mode() {
        return cacheMode().qemuName();
    }
}

package io.kvmj.core.model;

/**
 * The five QEMU cache modes, mapped as QEMU's {@code -drive cache=} documentation does onto blockdev
 * {@code cache.direct}, {@code cache.no-flush} and the device's {@code write-cache} (= cache.writeback).
 */
public enum CacheMode {
    WRITEBACK(false, false, true),
    NONE(true, false, true),
    WRITETHROUGH(false, false, false),
    DIRECTSYNC(true, false, false),
    UNSAFE(false, true, true);

    private final boolean direct;
    private final boolean noFlush;
    private final boolean writeCache;

    CacheMode(boolean direct, boolean noFlush, boolean writeCache) {
        this.direct = direct;
        this.noFlush = noFlush;
        this.writeCache = writeCache;
    }

    /** blockdev {@code cache.direct}: O_DIRECT, bypass the host page cache. */
    public boolean direct() { return direct; }

    /** blockdev {@code cache.no-flush}: ignore guest flush requests. */
    public boolean noFlush() { return noFlush; }

    /** device {@code write-cache}: the guest sees a volatile write cache (cache.writeback). */
    public boolean writeCache() { return writeCache; }

    /**
     * The mode a node's cache flags correspond to, e.g. from QMP {@code query-block}'s {@code inserted.cache}
     * ({@code direct}, {@code no-flush}, {@code writeback}): {@code of(true, false, true)} is {@link #NONE}.
     * {@code no-flush} names {@link #UNSAFE} whatever the other two say (QEMU has no other mode with it).
     */
    public static CacheMode of(boolean direct, boolean noFlush, boolean writeCache) {
        if (noFlush) {
            return UNSAFE;
        }
        if (direct) {
            return writeCache ? NONE : DIRECTSYNC;
        }
        return writeCache ? WRITEBACK : WRITETHROUGH;
    }

    /** Lower-case QEMU name, e.g. {@code directsync}. */
    public String qemuName() { return name().toLowerCase(java.util.Locale.ROOT); }
}

package io.kvmj.bench.disk;

import io.kvmj.core.ffi.Posix;
import java.util.List;
import java.util.Locale;

/**
 * What QEMU's host side does for each {@code cache=} mode, as open flags ({@link Posix}) plus a flush policy,
 * and the same as fio options.
 */
public enum CacheMode {
    /** Page cache, guest flushes become fdatasync: buffered writes + fdatasync every {@value #FLUSH_EVERY}. */
    WRITEBACK(0, true),
    /** O_DIRECT, bypassing the host page cache. */
    NONE(Posix.O_DIRECT, false),
    /** O_DSYNC: every write reaches the disk before it completes. */
    WRITETHROUGH(Posix.O_DSYNC, false),
    /** O_DIRECT | O_DSYNC. */
    DIRECTSYNC(Posix.O_DIRECT | Posix.O_DSYNC, false),
    /** Page cache, flushes ignored: buffered writes, never flushed. */
    UNSAFE(0, false);

    /** Writes between two fdatasync calls in writeback mode (fio {@code --fdatasync}). */
    public static final int FLUSH_EVERY = 32;

    private final int extraFlags;
    private final boolean flushes;

    CacheMode(int extraFlags, boolean flushes) {
        this.extraFlags = extraFlags;
        this.flushes = flushes;
    }

    /** Open flags for the test file. */
    public int openFlags() {
        return Posix.O_WRONLY | Posix.O_CLOEXEC | extraFlags;
    }

    /** True when writes are followed by fdatasync every {@link #FLUSH_EVERY} writes. */
    public boolean flushes() {
        return flushes;
    }

    /** QEMU's name for the mode. */
    public String qemuName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Open flags spelled out, for reports. */
    public String describe() {
        return switch (this) {
            case WRITEBACK -> "buffered + fdatasync/" + FLUSH_EVERY;
            case NONE -> "O_DIRECT";
            case WRITETHROUGH -> "O_DSYNC";
            case DIRECTSYNC -> "O_DIRECT|O_DSYNC";
            case UNSAFE -> "buffered, no flush";
        };
    }

    /** The same behaviour as fio options. */
    public List<String> fioOptions() {
        return List.of("--direct=" + ((extraFlags & Posix.O_DIRECT) != 0 ? 1 : 0),
                "--sync=" + ((extraFlags & Posix.O_DSYNC) != 0 ? "dsync" : "none"),
                "--fdatasync=" + (flushes ? FLUSH_EVERY : 0));
    }
}

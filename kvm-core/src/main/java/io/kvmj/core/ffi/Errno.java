package io.kvmj.core.ffi;

/** The errno values callers commonly branch on (Linux x86-64 numbers); {@link #OTHER} for the rest. */
public enum Errno {
    EPERM(1), ENOENT(2), EINTR(4), ENXIO(6), E2BIG(7), EBADF(9), EAGAIN(11), ENOMEM(12), EACCES(13),
    EFAULT(14), EBUSY(16), EEXIST(17), ENODEV(19), EINVAL(22), ENOTTY(25), ENOSPC(28), EOPNOTSUPP(95),
    OTHER(-1);

    private final int value;

    Errno(int value) {
        this.value = value;
    }

    /** The numeric errno value ({@code -1} for {@link #OTHER}). */
    public int value() {
        return value;
    }

    /** Maps a numeric errno to its constant, or {@link #OTHER}. */
    public static Errno of(int errno) {
        for (Errno e : values()) {
            if (e.value == errno) {
                return e;
            }
        }
        return OTHER;
    }
}

package io.kvmj.core.ffi;

/** Linux x86-64 constants for {@link NativeAccess} calls (open flags, mmap protections and flags). */
public final class Posix {
    private Posix() {}

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_DSYNC = 010000;
    public static final int O_DIRECT = 040000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_SYNC = 04010000;

    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;

    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MAP_HUGETLB = 0x40000;

    /** The value {@code mmap} returns on failure ({@code (void *) -1}). */
    public static final long MAP_FAILED = -1L;

    /** The page size assumed for anonymous mappings on x86-64. */
    public static final int PAGE_SIZE = 4096;
}

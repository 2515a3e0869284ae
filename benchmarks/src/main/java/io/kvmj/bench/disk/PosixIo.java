package io.kvmj.bench.disk;

/**
 * The few POSIX calls the host disk benchmark needs, with raw addresses so buffers can be page-aligned
 * (mmap) for O_DIRECT. Implemented over the project's FFI ({@link ProjectPosixIo}).
 */
public interface PosixIo {

    /** open(2); returns the fd or -1. */
    int open(String path, int flags, int mode);

    /** pwrite(2) from native memory; returns bytes written or -1. */
    long pwrite(int fd, long address, long count, long offset);

    /** fdatasync(2); 0 or -1. */
    int fdatasync(int fd);

    /** close(2). */
    int close(int fd);

    /** Anonymous private mapping of {@code length} bytes (page-aligned); returns its address. */
    long mmapAnonymous(long length);

    /** munmap(2). */
    void munmap(long address, long length);

    /** Copies bytes into native memory. */
    void poke(long address, byte[] data);

    /** errno of the last failed call on this thread. */
    int errno();

    /** Which FFI backend this is, for reports. */
    String name();
}

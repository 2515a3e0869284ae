package io.kvmj.core.ffi;

/**
 * The libc calls kvmj needs, with fixed signatures (no varargs), behind one interface with two backends:
 * jnr-ffi ({@link #jnr()}) and JNA direct mapping ({@link #jna()}). {@link #get()} returns the one chosen by the
 * system property {@code kvmj.ffi} ({@code jnr}, the default, or {@code jna}). jnr-ffi is the default because it
 * is the faster of the two per call (see the benchmarks module: about 1.1× a raw C {@code ioctl} loop against
 * about 1.7× for JNA on the reference machine); both pass the same tests.
 *
 * <p>All calls return the raw libc result ({@code -1} on failure for most) and never throw on a failed call;
 * read {@link #errno()} straight after a failure on the same thread, or use {@link #failure(String)} to build a
 * {@link NativeException}. Addresses are plain {@code long}s; the peek/poke helpers read and write native
 * memory at an address (little-endian, native order), whatever the backend.
 */
public interface NativeAccess {

    /** The system property that selects the backend. */
    String PROPERTY = "kvmj.ffi";

    /** The default backend name: {@code jnr}. */
    String DEFAULT = "jnr";

    /** The backend selected by {@code -Dkvmj.ffi=jnr|jna} (default {@value #DEFAULT}). */
    static NativeAccess get() {
        String name = System.getProperty(PROPERTY, DEFAULT).trim().toLowerCase(java.util.Locale.ROOT);
        switch (name) {
            case "jnr":
            case "jnr-ffi":
            case "":
                return jnr();
            case "jna":
                return jna();
            default:
                throw new IllegalArgumentException(
                        "unknown FFI backend -D" + PROPERTY + "=" + name + " (expected jnr or jna)");
        }
    }

    /** The JNA direct-mapping backend (loaded on first use). */
    static NativeAccess jna() {
        return JnaNativeAccess.INSTANCE;
    }

    /** The jnr-ffi backend (loaded on first use). */
    static NativeAccess jnr() {
        return JnrNativeAccess.Holder.INSTANCE;
    }

    /** The backend name: {@code "jna"} or {@code "jnr"}. */
    String name();

    // ---- file descriptors ----

    /** {@code open(2)} with an explicit mode; see {@link Posix} for flags. Returns the fd or -1. */
    int open(String path, int flags, int mode);

    /** {@code close(2)}. */
    int close(int fd);

    /** {@code ioctl(2)} with one integer or pointer argument; returns the call's {@code int} result widened. */
    long ioctl(int fd, long request, long arg);

    /** {@code mmap(2)}; returns the address or {@link Posix#MAP_FAILED}. */
    long mmap(long addr, long len, int prot, int flags, int fd, long off);

    /** {@code munmap(2)}. */
    int munmap(long addr, long len);

    /** {@code pread(2)} into native memory at {@code buf}. */
    long pread(int fd, long buf, long count, long off);

    /** {@code pwrite(2)} from native memory at {@code buf}. */
    long pwrite(int fd, long buf, long count, long off);

    /** {@code fsync(2)}. */
    int fsync(int fd);

    /** {@code fdatasync(2)}. */
    int fdatasync(int fd);

    /** The errno left by the last failed call of this backend on the current thread. */
    int errno();

    /** {@code strerror(3)} text for an errno value. */
    String strerror(int errno);

    // ---- native memory ----

    /** {@code calloc(3)}: zeroed native memory, or 0 on failure. Free with {@link #free(long)}. */
    long calloc(long count, long size);

    /** {@code free(3)}. */
    void free(long addr);

    byte getByte(long addr);

    void putByte(long addr, byte value);

    short getShort(long addr);

    void putShort(long addr, short value);

    int getInt(long addr);

    void putInt(long addr, int value);

    long getLong(long addr);

    void putLong(long addr, long value);

    /** Copies {@code len} bytes from native {@code addr} into {@code dst[off..]}. */
    void getBytes(long addr, byte[] dst, int off, int len);

    /** Copies {@code len} bytes from {@code src[off..]} to native {@code addr}. */
    void putBytes(long addr, byte[] src, int off, int len);

    /** Fills {@code len} bytes at {@code addr} with {@code value}. */
    void setMemory(long addr, long len, byte value);

    // ---- helpers ----

    /** A {@link NativeException} for {@code call} with the current errno and its strerror text. */
    default NativeException failure(String call) {
        int e = errno();
        return new NativeException(call, e, strerror(e));
    }

    /** {@link #ioctl} that throws a {@link NativeException} naming the request when the result is negative. */
    default long ioctlChecked(int fd, long request, long arg) {
        long r = ioctl(fd, request, arg);
        if (r < 0) {
            throw failure("ioctl(" + Ioctls.name(request) + ")");
        }
        return r;
    }
}

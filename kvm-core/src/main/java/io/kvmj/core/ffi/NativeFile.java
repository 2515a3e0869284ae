package io.kvmj.core.ffi;

/**
 * An open file descriptor that closes deterministically. {@link #close()} is idempotent; calls after close
 * throw {@link ClosedFileException} naming the operation, and never pass the old descriptor number to the kernel.
 * Not thread-safe for concurrent close.
 */
public final class NativeFile implements AutoCloseable {
    private final NativeAccess access;
    private final String path;
    private int fd;

    private NativeFile(NativeAccess access, String path, int fd) {
        this.access = access;
        this.path = path;
        this.fd = fd;
    }

    /** Opens {@code path} with {@code flags} (see {@link Posix}); throws {@link NativeException} naming the path. */
    public static NativeFile open(NativeAccess access, String path, int flags, int mode) {
        int fd = access.open(path, flags, mode);
        if (fd < 0) {
            throw access.failure("open(" + path + ")");
        }
        return new NativeFile(access, path, fd);
    }

    /** Wraps an fd returned by another call (e.g. {@code KVM_CREATE_VM}); this object then owns it. */
    public static NativeFile adopt(NativeAccess access, String description, int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("invalid fd " + fd + " for " + description);
        }
        return new NativeFile(access, description, fd);
    }

    /** The raw descriptor; throws {@link ClosedFileException} if closed. */
    public int fd() {
        return fdFor("fd()");
    }

    /**
     * The raw descriptor for {@code operation} (e.g. {@code ioctl(KVM_RUN)}); throws {@link ClosedFileException}
     * naming it if closed. Every system call on this file goes through here.
     */
    public int fdFor(String operation) {
        int f = fd;
        if (f < 0) {
            throw new ClosedFileException(path, operation);
        }
        return f;
    }

    /** {@link #fdFor(String)} for {@code ioctl(NAME)}; the name is looked up only when the file is closed. */
    public int fdForIoctl(long request) {
        int f = fd;
        if (f < 0) {
            throw new ClosedFileException(path, "ioctl(" + Ioctls.name(request) + ")");
        }
        return f;
    }

    /** The path or description given at open. */
    public String path() {
        return path;
    }

    /** The backend this file calls through. */
    public NativeAccess access() {
        return access;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return fd < 0;
    }

    /** {@code ioctl} on this fd; throws {@link NativeException} with the ioctl name on a negative result. */
    public long ioctl(long request, long arg) {
        return access.ioctlChecked(fdForIoctl(request), request, arg);
    }

    /** {@code pread} into native memory; throws on failure, returns the byte count (may be short). */
    public long pread(long buf, long count, long offset) {
        long r = access.pread(fdFor("pread"), buf, count, offset);
        if (r < 0) {
            throw access.failure("pread(" + path + ")");
        }
        return r;
    }

    /** {@code pwrite} from native memory; throws on failure, returns the byte count (may be short). */
    public long pwrite(long buf, long count, long offset) {
        long r = access.pwrite(fdFor("pwrite"), buf, count, offset);
        if (r < 0) {
            throw access.failure("pwrite(" + path + ")");
        }
        return r;
    }

    /** {@code fsync}; throws on failure. */
    public void fsync() {
        if (access.fsync(fdFor("fsync")) < 0) {
            throw access.failure("fsync(" + path + ")");
        }
    }

    /** {@code fdatasync}; throws on failure. */
    public void fdatasync() {
        if (access.fdatasync(fdFor("fdatasync")) < 0) {
            throw access.failure("fdatasync(" + path + ")");
        }
    }

    /** Maps {@code len} bytes of this file at {@code offset}. */
    public NativeMemory mmap(long len, int prot, int flags, long offset) {
        long addr = access.mmap(0, len, prot, flags, fdFor("mmap"), offset);
        if (addr == Posix.MAP_FAILED) {
            throw access.failure("mmap(" + path + ")");
        }
        return NativeMemory.ofMapping(access, addr, len);
    }

    /** Closes the descriptor once; later calls do nothing. A failed close(2) is thrown (the fd is gone anyway). */
    @Override
    public void close() {
        int f = fd;
        if (f < 0) {
            return;
        }
        fd = -1;
        if (access.close(f) < 0) {
            throw access.failure("close(" + path + ")");
        }
    }

    @Override
    public String toString() {
        return "NativeFile[" + path + ", fd=" + fd + "]";
    }
}

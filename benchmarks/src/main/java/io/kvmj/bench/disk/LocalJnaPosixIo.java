package io.kvmj.bench.disk;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Bench-local JNA direct mapping of the calls in {@link PosixIo}; a stand-in used only when the project's
 * {@code io.kvmj.core.ffi.NativeAccess} is not on the class path. Reports say which one ran.
 */
final class LocalJnaPosixIo implements PosixIo {

    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;

    /** Direct-mapped libc. */
    static final class C {
        static {
            Native.register("c");
        }

        private C() {
        }

        static native int open(String path, int flags, int mode);

        static native long pwrite(int fd, long buf, long count, long offset);

        static native int fdatasync(int fd);

        static native int close(int fd);

        static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

        static native int munmap(long addr, long length);
    }

    @Override
    public int open(String path, int flags, int mode) {
        return C.open(path, flags, mode);
    }

    @Override
    public long pwrite(int fd, long address, long count, long offset) {
        return C.pwrite(fd, address, count, offset);
    }

    @Override
    public int fdatasync(int fd) {
        return C.fdatasync(fd);
    }

    @Override
    public int close(int fd) {
        return C.close(fd);
    }

    @Override
    public long mmapAnonymous(long length) {
        long a = C.mmap(0, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0);
        if (a == -1L) {
            throw new IllegalStateException("mmap " + length + " bytes failed, errno " + Native.getLastError());
        }
        return a;
    }

    @Override
    public void munmap(long address, long length) {
        C.munmap(address, length);
    }

    @Override
    public void poke(long address, byte[] data) {
        new Pointer(address).write(0, data, 0, data.length);
    }

    @Override
    public int errno() {
        return Native.getLastError();
    }

    @Override
    public String name() {
        return "bench-local JNA direct mapping (project NativeAccess not available)";
    }
}

package io.kvmj.core.ffi;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/** jnr-ffi backend: a fixed-signature libc interface bound by {@link LibraryLoader}. */
final class JnrNativeAccess implements NativeAccess {

    /** Lazy holder so the jnr runtime is only loaded when this backend is used. */
    static final class Holder {
        static final JnrNativeAccess INSTANCE = new JnrNativeAccess();

        private Holder() {}
    }

    /** The libc functions as jnr-ffi binds them; errno is saved after every call. */
    public interface LibC {
        @SaveError
        int open(String path, int flags, int mode);

        @SaveError
        int close(int fd);

        @SaveError
        int ioctl(int fd, long request, long arg);

        /**
         * Declared with a {@link Pointer} address on purpose: with six primitive arguments jnr-ffi 2.2.19's x86
         * assembler stub passes a garbage sixth argument (mmap then fails with EINVAL); a Pointer parameter
         * selects the generic invoker, which is correct.
         */
        @SaveError
        long mmap(Pointer addr, long len, int prot, int flags, int fd, long off);

        @SaveError
        int munmap(long addr, long len);

        @SaveError
        long pread(int fd, long buf, long count, long off);

        @SaveError
        long pwrite(int fd, long buf, long count, long off);

        @SaveError
        int fsync(int fd);

        @SaveError
        int fdatasync(int fd);

        String strerror(int errnum);

        long calloc(long count, long size);

        void free(long addr);
    }

    private final LibC libc;
    private final Runtime runtime;

    private JnrNativeAccess() {
        libc = LibraryLoader.create(LibC.class).load("c");
        runtime = Runtime.getRuntime(libc);
    }

    @Override
    public String name() {
        return "jnr";
    }

    @Override
    public int open(String path, int flags, int mode) {
        return libc.open(path, flags, mode);
    }

    @Override
    public int close(int fd) {
        return libc.close(fd);
    }

    @Override
    public long ioctl(int fd, long request, long arg) {
        return libc.ioctl(fd, request, arg);
    }

    @Override
    public long mmap(long addr, long len, int prot, int flags, int fd, long off) {
        return libc.mmap(addr == 0 ? null : p(addr), len, prot, flags, fd, off);
    }

    @Override
    public int munmap(long addr, long len) {
        return libc.munmap(addr, len);
    }

    @Override
    public long pread(int fd, long buf, long count, long off) {
        return libc.pread(fd, buf, count, off);
    }

    @Override
    public long pwrite(int fd, long buf, long count, long off) {
        return libc.pwrite(fd, buf, count, off);
    }

    @Override
    public int fsync(int fd) {
        return libc.fsync(fd);
    }

    @Override
    public int fdatasync(int fd) {
        return libc.fdatasync(fd);
    }

    @Override
    public int errno() {
        return runtime.getLastError();
    }

    @Override
    public String strerror(int errno) {
        return libc.strerror(errno);
    }

    @Override
    public long calloc(long count, long size) {
        return libc.calloc(count, size);
    }

    @Override
    public void free(long addr) {
        libc.free(addr);
    }

    private Pointer p(long addr) {
        return Pointer.wrap(runtime, addr);
    }

    @Override
    public byte getByte(long addr) {
        return p(addr).getByte(0);
    }

    @Override
    public void putByte(long addr, byte value) {
        p(addr).putByte(0, value);
    }

    @Override
    public short getShort(long addr) {
        return p(addr).getShort(0);
    }

    @Override
    public void putShort(long addr, short value) {
        p(addr).putShort(0, value);
    }

    @Override
    public int getInt(long addr) {
        return p(addr).getInt(0);
    }

    @Override
    public void putInt(long addr, int value) {
        p(addr).putInt(0, value);
    }

    @Override
    public long getLong(long addr) {
        return p(addr).getLongLong(0);
    }

    @Override
    public void putLong(long addr, long value) {
        p(addr).putLongLong(0, value);
    }

    @Override
    public void getBytes(long addr, byte[] dst, int off, int len) {
        p(addr).get(0, dst, off, len);
    }

    @Override
    public void putBytes(long addr, byte[] src, int off, int len) {
        p(addr).put(0, src, off, len);
    }

    @Override
    public void setMemory(long addr, long len, byte value) {
        p(addr).setMemory(0, len, value);
    }
}

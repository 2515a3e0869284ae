package io.kvmj.core.ffi;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/** JNA backend: direct mapping ({@code Native.register}) of fixed-signature libc functions. */
final class JnaNativeAccess implements NativeAccess {
    static final JnaNativeAccess INSTANCE = new JnaNativeAccess();

    /** The direct-mapped libc functions. */
    static final class LibC {
        static {
            Native.register(LibC.class, NativeLibrary.getInstance("c"));
        }

        private LibC() {}

        static native int open(String path, int flags, int mode);

        static native int close(int fd);

        static native int ioctl(int fd, long request, long arg);

        static native long mmap(long addr, long len, int prot, int flags, int fd, long off);

        static native int munmap(long addr, long len);

        static native long pread(int fd, long buf, long count, long off);

        static native long pwrite(int fd, long buf, long count, long off);

        static native int fsync(int fd);

        static native int fdatasync(int fd);

        static native String strerror(int errnum);

        static native long calloc(long count, long size);

        static native void free(long addr);
    }

    private JnaNativeAccess() {}

    @Override
    public String name() {
        return "jna";
    }

    @Override
    public int open(String path, int flags, int mode) {
        return LibC.open(path, flags, mode);
    }

    @Override
    public int close(int fd) {
        return LibC.close(fd);
    }

    @Override
    public long ioctl(int fd, long request, long arg) {
        return LibC.ioctl(fd, request, arg);
    }

    @Override
    public long mmap(long addr, long len, int prot, int flags, int fd, long off) {
        return LibC.mmap(addr, len, prot, flags, fd, off);
    }

    @Override
    public int munmap(long addr, long len) {
        return LibC.munmap(addr, len);
    }

    @Override
    public long pread(int fd, long buf, long count, long off) {
        return LibC.pread(fd, buf, count, off);
    }

    @Override
    public long pwrite(int fd, long buf, long count, long off) {
        return LibC.pwrite(fd, buf, count, off);
    }

    @Override
    public int fsync(int fd) {
        return LibC.fsync(fd);
    }

    @Override
    public int fdatasync(int fd) {
        return LibC.fdatasync(fd);
    }

    @Override
    public int errno() {
        return Native.getLastError();
    }

    @Override
    public String strerror(int errno) {
        return LibC.strerror(errno);
    }

    @Override
    public long calloc(long count, long size) {
        return LibC.calloc(count, size);
    }

    @Override
    public void free(long addr) {
        LibC.free(addr);
    }

    private static Pointer p(long addr) {
        return new Pointer(addr);
    }

    @Override
    public byte getByte(long addr) {
        return p(addr).getByte(0);
    }

    @Override
    public void putByte(long addr, byte value) {
        p(addr).setByte(0, value);
    }

    @Override
    public short getShort(long addr) {
        return p(addr).getShort(0);
    }

    @Override
    public void putShort(long addr, short value) {
        p(addr).setShort(0, value);
    }

    @Override
    public int getInt(long addr) {
        return p(addr).getInt(0);
    }

    @Override
    public void putInt(long addr, int value) {
        p(addr).setInt(0, value);
    }

    @Override
    public long getLong(long addr) {
        return p(addr).getLong(0);
    }

    @Override
    public void putLong(long addr, long value) {
        p(addr).setLong(0, value);
    }

    @Override
    public void getBytes(long addr, byte[] dst, int off, int len) {
        p(addr).read(0, dst, off, len);
    }

    @Override
    public void putBytes(long addr, byte[] src, int off, int len) {
        p(addr).write(0, src, off, len);
    }

    @Override
    public void setMemory(long addr, long len, byte value) {
        p(addr).setMemory(0, len, value);
    }
}

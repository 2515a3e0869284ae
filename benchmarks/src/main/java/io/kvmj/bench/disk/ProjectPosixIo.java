package io.kvmj.bench.disk;

import io.kvmj.core.ffi.NativeAccess;
import io.kvmj.core.ffi.Posix;

/** {@link PosixIo} over the project's FFI, {@link NativeAccess#get()} (jnr-ffi by default). */
final class ProjectPosixIo implements PosixIo {

    private final NativeAccess na;

    ProjectPosixIo(NativeAccess na) {
        this.na = na;
    }

    @Override
    public int open(String path, int flags, int mode) {
        return na.open(path, flags, mode);
    }

    @Override
    public long pwrite(int fd, long address, long count, long offset) {
        return na.pwrite(fd, address, count, offset);
    }

    @Override
    public int fdatasync(int fd) {
        return na.fdatasync(fd);
    }

    @Override
    public int close(int fd) {
        return na.close(fd);
    }

    @Override
    public long mmapAnonymous(long length) {
        long a = na.mmap(0, length, Posix.PROT_READ | Posix.PROT_WRITE, Posix.MAP_PRIVATE | Posix.MAP_ANONYMOUS, -1, 0);
        if (a == Posix.MAP_FAILED) {
            throw na.failure("mmap(" + length + ")");
        }
        return a;
    }

    @Override
    public void munmap(long address, long length) {
        na.munmap(address, length);
    }

    @Override
    public void poke(long address, byte[] data) {
        na.putBytes(address, data, 0, data.length);
    }

    @Override
    public int errno() {
        return na.errno();
    }

    @Override
    public String name() {
        return "kvmj NativeAccess (" + na.name() + ")";
    }
}

package io.kvmj.launcher.storage;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The host page cache state of a file range, from Linux's {@code cachestat(2)} (kernel 6.5+, x86_64 syscall 451):
 * how many of its pages are cached and how many are dirty (written by a process, not yet on the disk). Dirty pages are
 * what a host power loss would lose; a killed process's writes survive in them.
 */
final class HostPageCache {
    private static final long SYS_CACHESTAT = 451;
    private static final int O_RDONLY = 0;

    /** Pages of a range: in the cache, dirty, under writeback. */
    record Stat(long cached, long dirty, long writeback) {
    }

    interface LibC extends Library {
        int open(String path, int flags);

        int close(int fd);

        long syscall(long number, Object... args);
    }

    private static final LibC C = Native.load("c", LibC.class);

    private HostPageCache() {
    }

    /** The state of {@code [offset, offset+length)} of {@code file}, empty when the kernel has no cachestat. */
    static Optional<Stat> stat(Path file, long offset, long length) {
        int fd = C.open(file.toString(), O_RDONLY);
        if (fd < 0) {
            throw new IllegalStateException("cannot open " + file);
        }
        try {
            Memory range = new Memory(16);
            range.setLong(0, offset);
            range.setLong(8, length);
            Memory cs = new Memory(40);
            cs.clear();
            long rc = C.syscall(SYS_CACHESTAT, fd, range, cs, 0);
            if (rc != 0) {
                return Optional.empty();
            }
            return Optional.of(new Stat(cs.getLong(0), cs.getLong(8), cs.getLong(16)));
        } finally {
            C.close(fd);
        }
    }
}

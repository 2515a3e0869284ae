package io.kvmj.bench.ffi;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import java.nio.file.Path;

/**
 * The raw C loop loaded into this JVM ({@link CBaseline#compileLibrary}): one FFI call runs a whole batch of
 * {@code ioctl}s in C on the caller's thread and descriptor, so the batch measures the ioctl as this process
 * pays for it with no per-call FFI cost. (A syscall can cost more in the multi-threaded JVM process than in a
 * small C program; this baseline sees the same conditions as the Java calls it is compared with.)
 */
public final class InProcessLoop {
    private final NativeLibrary library;
    private final Function loop;

    private InProcessLoop(NativeLibrary library) {
        this.library = library;
        this.loop = library.getFunction("kvmj_ioctl_loop");
    }

    /** Loads the compiled library. */
    public static InProcessLoop load(Path library) {
        return new InProcessLoop(NativeLibrary.getInstance(library.toAbsolutePath().toString()));
    }

    /**
     * Runs {@code calls} {@code ioctl(fd, KVM_CHECK_EXTENSION, capability)} in C and returns ns per call.
     *
     * @throws IllegalStateException if the ioctl failed
     */
    public double nsPerCall(int fd, long calls, int capability) {
        try (Memory result = new Memory(4)) {
            long ns = loop.invokeLong(new Object[] {fd, calls, (long) capability, result});
            if (ns < 0) {
                throw new IllegalStateException("ioctl(KVM_CHECK_EXTENSION) failed in the C loop, returned "
                        + result.getInt(0));
            }
            return (double) ns / calls;
        }
    }

    /** The library's path as loaded. */
    public String path() {
        return library.getFile() == null ? library.getName() : library.getFile().getPath();
    }
}

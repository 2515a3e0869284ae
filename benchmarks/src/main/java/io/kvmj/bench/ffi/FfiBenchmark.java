package io.kvmj.bench.ffi;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code ioctl(/dev/kvm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY)} per call, through each FFI path.
 * The raw C loop ({@link CBaseline}) is the baseline, run by {@link FfiSuite} in the same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FfiBenchmark {

    /** {@code _IO(KVMIO, 0x03)}. */
    static final long KVM_CHECK_EXTENSION = 0xAE03L;
    /** {@code KVM_CAP_USER_MEMORY}, answered 1 by every KVM. */
    static final int CAP = 3;
    private static final int O_RDWR_CLOEXEC = 0x2 | 0x80000;

    private int varargsFd = -1;

    @Setup(Level.Trial)
    public void open() {
        varargsFd = VarargsLibc.INSTANCE.open("/dev/kvm", O_RDWR_CLOEXEC);
        if (varargsFd < 0) {
            throw new IllegalStateException("cannot open /dev/kvm");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (varargsFd >= 0) {
            VarargsLibc.INSTANCE.close(varargsFd);
        }
    }

    /** JNA interface mapping with a varargs ioctl (why kvmj does not use it). */
    @Benchmark
    public int jnaVarargs() {
        return VarargsLibc.INSTANCE.ioctl(varargsFd, KVM_CHECK_EXTENSION, (long) CAP);
    }
}

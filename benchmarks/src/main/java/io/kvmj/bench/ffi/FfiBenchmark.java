package io.kvmj.bench.ffi;

import io.kvmj.core.ffi.Ioctls;
import io.kvmj.core.ffi.NativeAccess;
import io.kvmj.core.kvm.Capability;
import io.kvmj.core.kvm.Kvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
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
 * The raw C loop ({@link CBaseline}) is the baseline: when {@value #C_EXE_PROPERTY} names the compiled
 * loop, it runs right before every measurement iteration (outside the measured time) and its ns/call is
 * appended, tagged with the benchmark, to {@value #C_OUT_PROPERTY}; so both see the same machine load.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FfiBenchmark {

    /** {@code _IO(KVMIO, 0x03)}. */
    static final long KVM_CHECK_EXTENSION = Ioctls.KVM_CHECK_EXTENSION;
    /** {@code KVM_CAP_USER_MEMORY}, answered 1 by every KVM. */
    static final int CAP = Capability.USER_MEMORY.number();
    static final String C_EXE_PROPERTY = "kvmj.bench.ffi.c.exe";
    static final String C_OUT_PROPERTY = "kvmj.bench.ffi.c.out";
    /** ioctls per interleaved C run. */
    static final long C_CALLS = 300_000;
    private static final int O_RDWR_CLOEXEC = 0x2 | 0x80000;

    private int varargsFd = -1;
    private NativeAccess jna;
    private NativeAccess jnr;
    private Kvm kvmJna;
    private Kvm kvmJnr;
    private int fd;

    @Setup(Level.Trial)
    public void open() {
        jna = NativeAccess.jna();
        jnr = NativeAccess.jnr();
        kvmJna = Kvm.open(jna);
        kvmJnr = Kvm.open(jnr);
        fd = kvmJna.fd();
        varargsFd = VarargsLibc.INSTANCE.open("/dev/kvm", O_RDWR_CLOEXEC);
        if (varargsFd < 0) {
            throw new IllegalStateException("cannot open /dev/kvm");
        }
    }

    /** Runs the raw C loop before each measurement iteration and records its ns/call for this benchmark. */
    @Setup(Level.Iteration)
    public void cBaseline(BenchmarkParams bp, IterationParams ip) throws Exception {
        String exe = System.getProperty(C_EXE_PROPERTY);
        String out = System.getProperty(C_OUT_PROPERTY);
        if (exe == null || out == null || ip.getType() != IterationType.MEASUREMENT) {
            return;
        }
        CBaseline.Result r = CBaseline.runCompiled(Path.of(exe), C_CALLS, 1, CAP);
        String method = bp.getBenchmark().substring(bp.getBenchmark().lastIndexOf('.') + 1);
        Files.writeString(Path.of(out), method + " " + r.medianNs() + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Reads the interleaved C results of {@code method} from the file the forks appended to. */
    static List<Double> readC(Path file, String method) throws java.io.IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().map(String::trim).filter(l -> l.startsWith(method + " "))
                .map(l -> Double.parseDouble(l.substring(method.length() + 1))).toList();
    }

    @TearDown(Level.Trial)
    public void close() {
        kvmJna.close();
        kvmJnr.close();
        if (varargsFd >= 0) {
            VarargsLibc.INSTANCE.close(varargsFd);
        }
    }

    /** kvmj default backend: NativeAccess.jna(), JNA direct mapping, fixed (int,long,long) signature. */
    @Benchmark
    public long jnaDirect() {
        return jna.ioctl(fd, KVM_CHECK_EXTENSION, CAP);
    }

    /** kvmj alternative backend: NativeAccess.jnr(), jnr-ffi. */
    @Benchmark
    public long jnrFfi() {
        return jnr.ioctl(fd, KVM_CHECK_EXTENSION, CAP);
    }

    /** The typed API a caller uses: Kvm.checkExtension(Capability) on the JNA backend (adds the error check). */
    @Benchmark
    public int kvmCheckExtensionJna() {
        return kvmJna.checkExtension(Capability.USER_MEMORY);
    }

    /** Kvm.checkExtension(Capability) on the jnr-ffi backend. */
    @Benchmark
    public int kvmCheckExtensionJnr() {
        return kvmJnr.checkExtension(Capability.USER_MEMORY);
    }

    /** JNA interface mapping with a varargs ioctl (why kvmj does not use it). */
    @Benchmark
    public int jnaVarargs() {
        return VarargsLibc.INSTANCE.ioctl(varargsFd, KVM_CHECK_EXTENSION, (long) CAP);
    }
}

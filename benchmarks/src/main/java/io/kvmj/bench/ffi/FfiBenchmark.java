package io.kvmj.bench.ffi;

import io.kvmj.core.ffi.Ioctls;
import io.kvmj.core.ffi.NativeAccess;
import io.kvmj.core.ffi.Posix;
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
 * The raw C loop ({@link CBaseline}) is the baseline, run right before every measurement iteration (outside the
 * measured time) so both see the same machine load: the shared library {@value #C_LIB_PROPERTY} inside this
 * JVM on this thread and descriptor ({@value #IN_PROCESS}, the baseline of the ratios) and the program
 * {@value #C_EXE_PROPERTY} in its own process ({@value #SEPARATE_PROCESS}, for reference). Each ns/call is
 * appended to {@value #C_OUT_PROPERTY} as {@code <benchmark> <kind> <ns>}.
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
    static final String C_LIB_PROPERTY = "kvmj.bench.ffi.c.lib";
    /** Baseline kind: the C loop inside the benchmark JVM. */
    static final String IN_PROCESS = "in-process";
    /** Baseline kind: the C loop as its own program. */
    static final String SEPARATE_PROCESS = "separate-process";
    /** ioctls per interleaved C run. */
    static final long C_CALLS = 300_000;
    private static final int O_RDWR_CLOEXEC = Posix.O_RDWR | Posix.O_CLOEXEC;

    private int varargsFd = -1;
    private NativeAccess jna;
    private NativeAccess jnr;
    private Kvm kvmJna;
    private Kvm kvmJnr;
    private int fd;
    private InProcessLoop cLoop;

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
        String lib = System.getProperty(C_LIB_PROPERTY);
        cLoop = lib == null ? null : InProcessLoop.load(Path.of(lib));
    }

    /** Runs the raw C loops before each measurement iteration and records their ns/call for this benchmark. */
    @Setup(Level.Iteration)
    public void cBaseline(BenchmarkParams bp, IterationParams ip) throws Exception {
        String exe = System.getProperty(C_EXE_PROPERTY);
        String out = System.getProperty(C_OUT_PROPERTY);
        if (out == null || ip.getType() != IterationType.MEASUREMENT) {
            return;
        }
        String method = bp.getBenchmark().substring(bp.getBenchmark().lastIndexOf('.') + 1);
        StringBuilder lines = new StringBuilder();
        if (cLoop != null) {
            cLoop.nsPerCall(fd, C_CALLS / 10, CAP); // warm-up
            lines.append(method).append(' ').append(IN_PROCESS).append(' ').append(cLoop.nsPerCall(fd, C_CALLS, CAP))
                    .append('\n');
        }
        if (exe != null) {
            CBaseline.Result r = CBaseline.runCompiled(Path.of(exe), C_CALLS, 1, CAP);
            lines.append(method).append(' ').append(SEPARATE_PROCESS).append(' ').append(r.medianNs()).append('\n');
        }
        Files.writeString(Path.of(out), lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Reads the interleaved C results of one kind for {@code method} from the file the forks appended to. */
    static List<Double> readC(Path file, String method, String kind) throws java.io.IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String prefix = method + " " + kind + " ";
        return Files.readAllLines(file).stream().map(String::trim).filter(l -> l.startsWith(prefix))
                .map(l -> Double.parseDouble(l.substring(prefix.length()))).toList();
    }

    @TearDown(Level.Trial)
    public void close() {
        kvmJna.close();
        kvmJnr.close();
        if (varargsFd >= 0) {
            VarargsLibc.INSTANCE.close(varargsFd);
        }
    }

    /** NativeAccess.jna(): JNA direct mapping, fixed (int,long,long) signature. */
    @Benchmark
    public long jnaDirect() {
        return jna.ioctl(fd, KVM_CHECK_EXTENSION, CAP);
    }

    /** kvmj default backend: NativeAccess.jnr(), jnr-ffi, fixed (int,long,long) signature. */
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

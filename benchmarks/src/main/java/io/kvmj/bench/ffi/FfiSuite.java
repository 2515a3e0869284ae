package io.kvmj.bench.ffi;

import io.kvmj.bench.BenchContext;
import io.kvmj.bench.JmhResults;
import io.kvmj.bench.Suite;
import io.kvmj.bench.report.Figure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;

/** FFI suite: KVM_CHECK_EXTENSION per backend (JMH) against the raw C loop, same run. */
public final class FfiSuite implements Suite {

    /** Benchmark methods with their labels; the first is the default backend that carries the target. */
    static final List<Variant> VARIANTS = List.of(
            new Variant("jnrFfi", "jnr-ffi, NativeAccess.jnr().ioctl (default backend)"),
            new Variant("jnaDirect", "JNA direct mapping, NativeAccess.jna().ioctl"),
            new Variant("kvmCheckExtensionJnr", "Kvm.checkExtension(Capability), jnr-ffi"),
            new Variant("kvmCheckExtensionJna", "Kvm.checkExtension(Capability), JNA"),
            new Variant("jnaVarargs", "JNA interface mapping, varargs ioctl (not used by kvmj)"));
    /** A benchmark method and its label. */
    record Variant(String method, String label) {
    }

    static final String DEFAULT_BACKEND = "jnrFfi";
    /** The baseline of every ratio: the same C loop, run in this JVM on the benchmark thread. */
    static final String IN_PROCESS_BASELINE = "raw C loop (gcc -O2) in the same JVM, interleaved";
    static final double TARGET = 1.3;

    @Override
    public String id() {
        return "ffi";
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        if (!Files.isWritable(Path.of("/dev/kvm")) || !Files.isReadable(Path.of("/dev/kvm"))) {
            ctx.note("ffi: /dev/kvm is not accessible (read/write); FFI suite skipped");
            return List.of();
        }
        Path dir = Files.createTempDirectory("kvmj-ffi");
        Path cOut = dir.resolve("c-results.txt");
        List<Figure> out = new ArrayList<>();
        try {
            Path exe;
            Path lib;
            try {
                exe = CBaseline.compile(dir);
                lib = CBaseline.compileLibrary(dir);
            } catch (Exception e) {
                ctx.note("ffi: compiling the raw C baseline failed (" + e.getMessage() + "); FFI suite skipped");
                return List.of();
            }
            CBaseline.Result before = CBaseline.runCompiled(exe, 1_000_000L, ctx.profile().cRepetitions(),
                    FfiBenchmark.CAP);
            JmhResults jmh = new JmhResults(ctx.runJmh("ffi", FfiBenchmark.class.getName() + "\\.",
                    Map.of(FfiBenchmark.C_EXE_PROPERTY, exe.toString(), FfiBenchmark.C_LIB_PROPERTY, lib.toString(),
                            FfiBenchmark.C_OUT_PROPERTY, cOut.toString()),
                    b -> b.mode(Mode.AverageTime)));
            List<Double> allIn = new ArrayList<>();
            List<Double> allSeparate = new ArrayList<>();
            for (Variant v : VARIANTS) {
                RunResult r = jmh.find(v.method(), Map.of()).orElse(null);
                List<Double> in = FfiBenchmark.readC(cOut, v.method(), FfiBenchmark.IN_PROCESS);
                List<Double> sep = FfiBenchmark.readC(cOut, v.method(), FfiBenchmark.SEPARATE_PROCESS);
                if (r == null || in.isEmpty()) {
                    ctx.note("ffi: JMH benchmark " + v.method() + " produced no result or no interleaved C run");
                    continue;
                }
                allIn.addAll(in);
                allSeparate.addAll(sep);
                double score = JmhResults.score(r);
                String separate = sep.isEmpty() ? "" : String.format(java.util.Locale.ROOT,
                        "; against the C program in its own process (%.1f ns): %.2f×", CBaseline.median(sep),
                        score / CBaseline.median(sep));
                out.add(Figure.time("ffi", v.label(), score, JmhResults.error(r), "ns/call",
                        IN_PROCESS_BASELINE, CBaseline.median(in),
                        v.method().equals(DEFAULT_BACKEND) ? TARGET : null, "host",
                        "JMH AverageTime; C: median of " + in.size() + " runs of " + FfiBenchmark.C_CALLS
                                + " ioctls in this JVM, one before each measurement iteration" + separate));
            }
            if (!allIn.isEmpty()) {
                out.add(Figure.plain("ffi", "raw C loop (gcc -O2) inside the benchmark JVM", CBaseline.median(allIn),
                        "ns/call", true, "host", "median of all interleaved in-process runs: the baseline of the ratios"));
            }
            out.add(Figure.plain("ffi", "raw C loop (gcc -O2) as its own program", allSeparate.isEmpty()
                    ? before.medianNs() : CBaseline.median(allSeparate), "ns/call", true, "host",
                    "median of all interleaved runs; standalone before JMH: " + String.format(java.util.Locale.ROOT,
                            "%.1f", before.medianNs()) + " ns (capability answer " + before.result() + ")"));
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        return out;
    }
}

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
            new Variant("jnaDirect", "JNA direct mapping, NativeAccess.jna().ioctl (default backend)"),
            new Variant("jnrFfi", "jnr-ffi, NativeAccess.jnr().ioctl"),
            new Variant("kvmCheckExtensionJna", "Kvm.checkExtension(Capability), JNA"),
            new Variant("kvmCheckExtensionJnr", "Kvm.checkExtension(Capability), jnr-ffi"),
            new Variant("jnaVarargs", "JNA interface mapping, varargs ioctl (not used by kvmj)"));
    /** A benchmark method and its label. */
    record Variant(String method, String label) {
    }

    static final String DEFAULT_BACKEND = "jnaDirect";
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
            try {
                exe = CBaseline.compile(dir);
            } catch (Exception e) {
                ctx.note("ffi: compiling the raw C baseline failed (" + e.getMessage() + "); FFI suite skipped");
                return List.of();
            }
            CBaseline.Result before = CBaseline.runCompiled(exe, 1_000_000L, ctx.profile().cRepetitions(),
                    FfiBenchmark.CAP);
            JmhResults jmh = new JmhResults(ctx.runJmh("ffi", FfiBenchmark.class.getName() + "\\.",
                    Map.of(FfiBenchmark.C_EXE_PROPERTY, exe.toString(), FfiBenchmark.C_OUT_PROPERTY, cOut.toString()),
                    b -> b.mode(Mode.AverageTime)));
            List<Double> allC = new ArrayList<>();
            for (Variant v : VARIANTS) {
                RunResult r = jmh.find(v.method(), Map.of()).orElse(null);
                List<Double> cs = FfiBenchmark.readC(cOut, v.method());
                if (r == null || cs.isEmpty()) {
                    ctx.note("ffi: JMH benchmark " + v.method() + " produced no result or no interleaved C run");
                    continue;
                }
                allC.addAll(cs);
                out.add(Figure.time("ffi", v.label(), JmhResults.score(r), JmhResults.error(r), "ns/call",
                        "raw C loop (gcc -O2), interleaved", CBaseline.median(cs),
                        v.method().equals(DEFAULT_BACKEND) ? TARGET : null, "host",
                        "JMH AverageTime; C: median of " + cs.size() + " runs of " + FfiBenchmark.C_CALLS
                                + " ioctls, one before each measurement iteration"));
            }
            out.add(Figure.plain("ffi", "raw C loop (gcc -O2)", allC.isEmpty() ? before.medianNs()
                    : CBaseline.median(allC), "ns/call", true, "host",
                    "median of all interleaved C runs; standalone before JMH: " + String.format(java.util.Locale.ROOT,
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

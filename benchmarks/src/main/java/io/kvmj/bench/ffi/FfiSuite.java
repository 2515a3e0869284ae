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
        CBaseline.Result c;
        try {
            c = CBaseline.measure(1_000_000L, ctx.profile().cRepetitions(), FfiBenchmark.CAP);
        } catch (Exception e) {
            ctx.note("ffi: raw C baseline failed (" + e.getMessage() + "); FFI ratios unavailable");
            return List.of();
        }
        double cNs = c.medianNs();
        JmhResults jmh = new JmhResults(ctx.runJmh("ffi", FfiBenchmark.class.getName() + "\\.", Map.of(),
                b -> b.mode(Mode.AverageTime)));
        List<Figure> out = new ArrayList<>();
        for (Variant v : VARIANTS) {
            RunResult r = jmh.find(v.method(), Map.of()).orElse(null);
            if (r == null) {
                ctx.note("ffi: JMH benchmark " + v.method() + " produced no result");
                continue;
            }
            out.add(Figure.time("ffi", v.label(), JmhResults.score(r), JmhResults.error(r), "ns/call",
                    "raw C loop (gcc -O2)", cNs, v.method().equals(DEFAULT_BACKEND) ? TARGET : null, "host",
                    "JMH AverageTime; C: median of " + c.nsPerCall().size() + " × 1e6 calls"));
        }
        out.add(Figure.plain("ffi", "raw C loop (gcc -O2)", cNs, "ns/call", true, "host",
                "clock_gettime around 1e6 ioctls; capability answer " + c.result()));
        return out;
    }
}

package io.kvmj.bench.qmp;

import io.kvmj.bench.BenchContext;
import io.kvmj.bench.JmhResults;
import io.kvmj.bench.Suite;
import io.kvmj.bench.report.Figure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;

/**
 * QMP suite: query-status latency (p50, p99) and pipelined throughput, the kvmj client against the minimal
 * blocking client, both on the same QEMU process (two QMP sockets).
 */
public final class QmpSuite implements Suite {

    static final double TARGET_P50 = 1.1;
    static final int[] IN_FLIGHT = {1, 8, 64};

    @Override
    public String id() {
        return "qmp";
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        List<Figure> out = new ArrayList<>();
        try (QmpTarget qemu = QmpTarget.start()) {
            Map<String, String> props = Map.of(QmpTarget.PROPERTY, qemu.property());
            JmhResults lat = new JmhResults(ctx.runJmh("qmp-latency", QmpLatencyBenchmark.class.getName() + "\\.",
                    props, b -> b.timeUnit(TimeUnit.MICROSECONDS)));
            JmhResults thr = new JmhResults(ctx.runJmh("qmp-throughput",
                    QmpThroughputBenchmark.class.getName() + "\\.", props, b -> b.timeUnit(TimeUnit.SECONDS)));
            if (!qemu.isAlive()) {
                ctx.note("qmp: the shared QEMU died during the suite; figures may be incomplete");
            }
            RunResult min = lat.find("minimal", Map.of()).orElse(null);
            RunResult kv = lat.find("kvmj", Map.of()).orElse(null);
            if (min == null) {
                ctx.note("qmp: minimal-client latency benchmark produced no result");
            } else if (kv == null) {
                ctx.note("qmp: kvmj client latency benchmark did not run (qmp-client not available)");
                out.add(Figure.plain("qmp", "query-status p50, minimal java.nio client",
                        JmhResults.percentile(min, 50), "µs", true, "host", "JMH SampleTime"));
            } else {
                for (double p : new double[] {50, 99}) {
                    out.add(Figure.time("qmp", "query-status p" + (int) p + ", kvmj client",
                            JmhResults.percentile(kv, p), null, "µs", "minimal java.nio client",
                            JmhResults.percentile(min, p), p == 50 ? TARGET_P50 : null, "host",
                            "JMH SampleTime, same QEMU, " + kv.getPrimaryResult().getSampleCount() + " samples"));
                }
            }
            for (int n : IN_FLIGHT) {
                Map<String, String> param = Map.of("inFlight", Integer.toString(n));
                RunResult m = thr.find("minimal", param).orElse(null);
                RunResult k = thr.find("kvmj", param).orElse(null);
                if (m == null) {
                    continue;
                }
                double mc = JmhResults.score(m) * n;
                if (k == null) {
                    out.add(Figure.plain("qmp", "throughput, " + n + " in flight, minimal client", mc, "cmd/s",
                            false, "host", "pipelined"));
                } else {
                    Double err = JmhResults.error(k);
                    out.add(Figure.throughput("qmp", "throughput, " + n + " in flight, kvmj client",
                            JmhResults.score(k) * n, err == null ? null : err * n, "cmd/s",
                            "minimal client, pipelined", mc, null, "host", "JMH Throughput × inFlight"));
                }
            }
        }
        return out;
    }
}

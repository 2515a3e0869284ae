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
    /**
     * Warm-up iterations of the latency benchmarks at least: the Netty and Jackson paths of the kvmj client take
     * several thousand calls to be compiled by C2 (the minimal client's few methods take far fewer).
     */
    static final int LATENCY_WARMUPS = 6;
    /** ABBA rounds of the latency benchmarks at least: one fork each; single forks differ by tens of percent. */
    static final int LATENCY_ROUNDS = 4;
    /** Latency benchmark methods of the kvmj client and their labels; {@code kvmj} carries the target. */
    static final Map<String, String> LABELS = Map.of("kvmj", "client call()", "kvmjTyped",
            "typed call(QueryStatus)", "kvmjNoPoll", "client call(), busyPoll=0 (threads sleep until woken)");

    @Override
    public String id() {
        return "qmp";
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        List<Figure> out = new ArrayList<>();
        try (QmpTarget qemu = QmpTarget.start()) {
            Map<String, String> props = Map.of(QmpTarget.PROPERTY, qemu.property());
            // Forks run one after another while the machine load drifts: interleave the clients (ABBA) and
            // take the median over rounds of each percentile.
            int rounds = Math.max(LATENCY_ROUNDS, ctx.profile().forks() * 2);
            List<String> order = List.of("minimal", "kvmj", "kvmjTyped", "kvmjNoPoll");
            Map<String, List<RunResult>> latency = new java.util.HashMap<>();
            for (int r = 0; r < rounds; r++) {
                List<String> o = new ArrayList<>(order);
                if (r % 2 == 1) {
                    java.util.Collections.reverse(o);
                }
                for (String m : o) {
                    new JmhResults(ctx.runJmh("qmp-latency-" + m + "-" + r,
                            QmpLatencyBenchmark.class.getName() + "\\." + m + "$", props,
                            b -> b.timeUnit(TimeUnit.MICROSECONDS).forks(1)
                                    .warmupIterations(Math.max(LATENCY_WARMUPS, ctx.profile().warmupIterations()))))
                            .find(m, Map.of()).ifPresent(x -> latency.computeIfAbsent(m, k -> new ArrayList<>()).add(x));
                }
            }
            Map<String, RunResult> thrResults = new java.util.HashMap<>();
            int turn = 0;
            for (int n : IN_FLIGHT) {
                List<String> o = turn++ % 2 == 0 ? List.of("minimal", "kvmj") : List.of("kvmj", "minimal");
                for (String m : o) {
                    new JmhResults(ctx.runJmh("qmp-throughput-" + m + "-" + n,
                            QmpThroughputBenchmark.class.getName() + "\\." + m + "$", props,
                            b -> b.timeUnit(TimeUnit.SECONDS).param("inFlight", Integer.toString(n))))
                            .find(m, Map.of("inFlight", Integer.toString(n))).ifPresent(x -> thrResults.put(m + n, x));
                }
            }
            if (!qemu.isAlive()) {
                ctx.note("qmp: the shared QEMU died during the suite; figures may be incomplete");
            }
            List<RunResult> min = latency.getOrDefault("minimal", List.of());
            if (min.isEmpty()) {
                ctx.note("qmp: minimal-client latency benchmark produced no result");
            } else {
                for (double p : new double[] {50, 99}) {
                    double base = medianPercentile(min, p);
                    for (String m : List.of("kvmj", "kvmjTyped", "kvmjNoPoll")) {
                        List<RunResult> rs = latency.getOrDefault(m, List.of());
                        if (rs.isEmpty()) {
                            ctx.note("qmp: kvmj client latency benchmark " + m + " produced no result");
                            continue;
                        }
                        long samples = rs.stream().mapToLong(x -> x.getPrimaryResult().getSampleCount()).sum();
                        out.add(Figure.time("qmp", "query-status p" + (int) p + ", kvmj " + LABELS.get(m),
                                medianPercentile(rs, p), null, "µs", "minimal java.nio client", base,
                                p == 50 && m.equals("kvmj") ? TARGET_P50 : null, "host",
                                "JMH SampleTime, same QEMU; median over " + rs.size() + " interleaved (ABBA) forks, "
                                        + samples + " samples"));
                    }
                }
            }
            for (int n : IN_FLIGHT) {
                RunResult m = thrResults.get("minimal" + n);
                RunResult k = thrResults.get("kvmj" + n);
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
                            "minimal client, pipelined", mc, null, "host",
                            "JMH Throughput × inFlight; clients alternate order per inFlight"));
                }
            }
        }
        return out;
    }

    /** Median over forks of one percentile. */
    static double medianPercentile(List<RunResult> rs, double p) {
        double[] v = rs.stream().mapToDouble(r -> JmhResults.percentile(r, p)).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}

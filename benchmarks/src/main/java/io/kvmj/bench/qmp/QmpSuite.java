package io.kvmj.bench.qmp;

import io.kvmj.bench.BenchContext;
import io.kvmj.bench.JmhResults;
import io.kvmj.bench.Suite;
import io.kvmj.bench.report.Figure;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;

/**
 * QMP suite: query-status latency (p50, p99) and pipelined throughput, the kvmj client beside its peers
 * (minimal blocking Java client, go-qemu, raw Python, libvirt) in the same run: see
 * {@link io.kvmj.bench.peers.QmpPeers}.
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
        // The peers (minimal Java, kvmj, go-qemu, raw Python, libvirt) run as processes of their own, interleaved:
        // the same harness and clock discipline for every client. The JMH benchmarks of this package remain for
        // runs of their own (java -jar kvmj-benchmarks.jar is BenchMain; JMH's main runs them by name).
        return io.kvmj.bench.peers.QmpPeers.run(ctx);
    }

    /** Median over forks of one percentile. */
    static double medianPercentile(List<RunResult> rs, double p) {
        double[] v = rs.stream().mapToDouble(r -> JmhResults.percentile(r, p)).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}

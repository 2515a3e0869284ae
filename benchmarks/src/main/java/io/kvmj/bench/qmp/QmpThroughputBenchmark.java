package io.kvmj.bench.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Batches of {@code inFlight} query-status commands sent before any reply is awaited. JMH reports batches
 * per second; {@link QmpSuite} multiplies by {@code inFlight} to give commands per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class QmpThroughputBenchmark {

    /** Shared parameter: commands in flight per batch. */
    @State(Scope.Thread)
    public static class Batch {
        @Param({"1", "8", "64"})
        public int inFlight;
    }

    /** kvmj client: inFlight execute() futures sent at once, then all awaited. */
    @Benchmark
    public Object kvmj(KvmjConnection s, Batch b) {
        @SuppressWarnings("unchecked")
        CompletableFuture<JsonNode>[] fs = new CompletableFuture[b.inFlight];
        for (int i = 0; i < fs.length; i++) {
            fs[i] = s.client.execute("query-status");
        }
        CompletableFuture.allOf(fs).join();
        return fs[fs.length - 1].join();
    }

    /** Minimal client, pipelined: write inFlight lines, then read inFlight replies. */
    @Benchmark
    public String minimal(MinimalConnection s, Batch b) throws IOException {
        return s.client.pipelined(QmpLatencyBenchmark.QUERY_STATUS, b.inFlight);
    }
}

package io.kvmj.bench.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.qmp.QmpClient;
import io.kvmj.qmp.QmpClientOptions;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

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

    /** The minimal client's connection. */
    @State(Scope.Thread)
    public static class Minimal {
        QmpTarget target;
        MinimalQmpClient client;

        @Setup(Level.Trial)
        public void setup() throws IOException {
            target = QmpTarget.acquire();
            client = MinimalQmpClient.connect(target.socket(QmpTarget.MINIMAL));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            client.close();
            target.close();
        }
    }

    /** The kvmj client's connection. */
    @State(Scope.Thread)
    public static class Kvmj {
        QmpTarget target;
        QmpClient client;

        @Setup(Level.Trial)
        public void setup() throws IOException {
            target = QmpTarget.acquire();
            client = QmpClient.open(target.socket(QmpTarget.KVMJ), QmpClientOptions.defaults());
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            client.close();
            target.close();
        }
    }

    /** kvmj client: inFlight execute() futures sent at once, then all awaited. */
    @Benchmark
    public Object kvmj(Kvmj s, Batch b) {
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
    public String minimal(Minimal s, Batch b) throws IOException {
        return s.client.pipelined(QmpLatencyBenchmark.QUERY_STATUS, b.inFlight);
    }
}

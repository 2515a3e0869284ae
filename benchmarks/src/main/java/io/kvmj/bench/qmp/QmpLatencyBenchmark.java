package io.kvmj.bench.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.qmp.QmpClient;
import io.kvmj.qmp.QmpClientOptions;
import io.kvmj.qmp.command.QueryStatus;
import io.kvmj.qmp.model.StatusInfo;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One query-status round trip (SampleTime: percentiles), kvmj client vs the minimal blocking client. */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class QmpLatencyBenchmark {

    static final String QUERY_STATUS = "{\"execute\":\"query-status\"}";

    /** The minimal client's connection, on the minimal socket of the shared QEMU. */
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

    /** The kvmj Netty client's connection, on the kvmj socket of the same QEMU. */
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

    /** kvmj client, blocking generic call: returns the reply's JsonNode. */
    @Benchmark
    public JsonNode kvmj(Kvmj s) {
        return s.client.call("query-status");
    }

    /** kvmj client, blocking typed call: query-status mapped to a StatusInfo record. */
    @Benchmark
    public StatusInfo kvmjTyped(Kvmj s) {
        return s.client.call(new QueryStatus());
    }

    /** Minimal blocking java.nio client: write a line, read a line. */
    @Benchmark
    public String minimal(Minimal s) throws IOException {
        return s.client.execute(QUERY_STATUS);
    }
}

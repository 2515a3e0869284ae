package io.kvmj.bench.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.qmp.command.QueryStatus;
import io.kvmj.qmp.model.StatusInfo;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** One query-status round trip (SampleTime: percentiles), kvmj client vs the minimal blocking client. */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class QmpLatencyBenchmark {

    static final String QUERY_STATUS = "{\"execute\":\"query-status\"}";

    /** kvmj client, blocking generic call: returns the reply's JsonNode. */
    @Benchmark
    public JsonNode kvmj(KvmjConnection s) {
        return s.client.call("query-status");
    }

    /** kvmj client with busyPoll off: the I/O thread sleeps until the reply wakes it, then wakes the caller. */
    @Benchmark
    public JsonNode kvmjNoPoll(KvmjNoPollConnection s) {
        return s.client.call("query-status");
    }

    /** kvmj client, blocking typed call: query-status mapped to a StatusInfo record. */
    @Benchmark
    public StatusInfo kvmjTyped(KvmjConnection s) {
        return s.client.call(new QueryStatus());
    }

    /** Minimal blocking java.nio client: write a line, read a line. */
    @Benchmark
    public String minimal(MinimalConnection s) throws IOException {
        return s.client.execute(QUERY_STATUS);
    }
}

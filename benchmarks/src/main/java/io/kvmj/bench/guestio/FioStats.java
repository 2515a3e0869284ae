package io.kvmj.bench.guestio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Both directions of one fio job from {@code fio --output-format=json}, as fio prints it on the host or inside the
 * guest (the guest's output comes back through {@code guest-exec}'s captured stdout, warnings and all).
 *
 * <pre>{@code
 * FioStats s = FioStats.parse(agent.exec(fioArgv, timeout).stdoutText());
 * double iops = s.read().iops();
 * }</pre>
 *
 * @param jobName    fio's job name
 * @param fioVersion fio's version string, e.g. {@code fio-3.33}
 * @param read       the read side (zeros for a write-only job)
 * @param write      the write side (zeros for a read-only job)
 */
public record FioStats(String jobName, String fioVersion, Side read, Side write) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One direction of a job.
     *
     * @param iops        I/Os per second
     * @param bytesPerSec bandwidth in bytes per second
     * @param ios         I/Os completed
     * @param runtimeMs   the measured time in ms
     * @param clatMeanNs  mean completion latency in ns (0 when fio reported none)
     */
    public record Side(double iops, double bytesPerSec, long ios, long runtimeMs, double clatMeanNs) {
        /** MB/s (10^6 bytes). */
        public double mbPerSec() {
            return bytesPerSec / 1e6;
        }
    }

    /** The side of {@code rw}: read for read/randread, write for write/randwrite. */
    public Side side(String rw) {
        return rw.contains("read") ? read : write;
    }

    /**
     * Parses fio's JSON output; anything before the first line starting with '{' (fio's warnings such as
     * "note: both iodepth >= 1 and synchronous I/O engine are selected") is skipped.
     *
     * @throws IOException when there is no JSON, no job, or the job reports an error
     */
    public static FioStats parse(String output) throws IOException {
        int start = output.startsWith("{") ? 0 : output.indexOf("\n{");
        if (start < 0) {
            throw new IOException("no JSON in fio output: " + abbreviate(output));
        }
        JsonNode root;
        try {
            root = JSON.readTree(output.substring(start).strip());
        } catch (IOException e) {
            throw new IOException("fio output is not JSON (" + e.getMessage().lines().findFirst().orElse("") + "): "
                    + abbreviate(output), e);
        }
        JsonNode jobs = root == null ? null : root.path("jobs");
        if (jobs == null || !jobs.isArray() || jobs.isEmpty()) {
            throw new IOException("fio JSON has no jobs: " + abbreviate(output));
        }
        JsonNode job = jobs.get(0);
        int error = job.path("error").asInt(0);
        if (error != 0) {
            throw new IOException("fio job " + job.path("jobname").asText() + " failed with error " + error);
        }
        return new FioStats(job.path("jobname").asText(), root.path("fio version").asText(), side(job.path("read")),
                side(job.path("write")));
    }

    private static Side side(JsonNode n) {
        return new Side(n.path("iops").asDouble(), n.path("bw_bytes").asDouble(), n.path("total_ios").asLong(),
                n.path("runtime").asLong(), n.path("clat_ns").path("mean").asDouble());
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}

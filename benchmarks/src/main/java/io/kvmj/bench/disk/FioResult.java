package io.kvmj.bench.disk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The write side of one fio job, from {@code fio --output-format=json}.
 *
 * @param jobName     fio job name
 * @param iops        write IOPS
 * @param bytesPerSec write bandwidth in bytes per second
 * @param runtimeMs   measured runtime in ms
 * @param ios         write I/Os completed
 * @param fioVersion  fio's version string
 */
public record FioResult(String jobName, double iops, double bytesPerSec, long runtimeMs, long ios, String fioVersion) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** MB/s (10^6 bytes). */
    public double mbPerSec() {
        return bytesPerSec / 1e6;
    }

    /** One compact JSON line of this record. */
    public static String toJsonLine(FioResult r) throws IOException {
        return JSON.writeValueAsString(r);
    }

    /** Reads a line written by {@link #toJsonLine}. */
    public static FioResult fromJsonLine(String line) throws IOException {
        return JSON.readValue(line, FioResult.class);
    }

    /**
     * Parses fio's JSON output (text before the first '{', such as warnings, is skipped) and returns the
     * first job's write figures.
     */
    public static FioResult parse(String output) throws IOException {
        int start = output.indexOf('{');
        if (start < 0) {
            throw new IOException("no JSON in fio output: " + output.strip());
        }
        JsonNode root = JSON.readTree(output.substring(start));
        JsonNode jobs = root.path("jobs");
        if (!jobs.isArray() || jobs.isEmpty()) {
            throw new IOException("fio JSON has no jobs: " + output.strip());
        }
        JsonNode job = jobs.get(0);
        if (job.path("error").asInt(0) != 0) {
            throw new IOException("fio job failed with error " + job.path("error").asInt());
        }
        JsonNode w = job.path("write");
        if (w.isMissingNode()) {
            throw new IOException("fio job has no write section");
        }
        return new FioResult(job.path("jobname").asText(), w.path("iops").asDouble(), w.path("bw_bytes").asDouble(),
                w.path("runtime").asLong(), w.path("total_ios").asLong(), root.path("fio version").asText());
    }
}

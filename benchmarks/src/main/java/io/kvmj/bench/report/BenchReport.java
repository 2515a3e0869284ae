package io.kvmj.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything one run produced: the host header, all figures, and notes on what was skipped or failed.
 *
 * @param host    where the run happened
 * @param figures every figure, in suite order
 * @param notes   skipped suites, failures and caveats, one sentence each
 */
public record BenchReport(HostInfo host, List<Figure> figures, List<String> notes) {

    /** Shared mapper for result files. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public BenchReport {
        figures = List.copyOf(figures);
        notes = List.copyOf(notes);
    }

    /** Writes this report as JSON. */
    public void writeJson(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    /** Reads a report written by {@link #writeJson}. */
    public static BenchReport readJson(Path file) throws IOException {
        return JSON.readValue(file.toFile(), BenchReport.class);
    }
}

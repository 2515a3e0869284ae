package io.kvmj.bench;

import io.kvmj.bench.report.Figure;
import java.util.List;

/** One group of measurements: its JMH benchmarks, its same-run baseline and its non-JMH parts. */
public interface Suite {

    /** Short id used by {@code --only} and in result files (ffi, qmp, hostdisk, ...). */
    String id();

    /**
     * Runs the suite and returns its figures. Missing prerequisites are reported through
     * {@link BenchContext#note(String)} and yield fewer figures, not an exception.
     */
    List<Figure> run(BenchContext ctx) throws Exception;
}

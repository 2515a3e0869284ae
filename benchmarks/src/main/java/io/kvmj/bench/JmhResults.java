package io.kvmj.bench;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/** Finds JMH results by benchmark method and parameters. */
public final class JmhResults {

    private final Collection<RunResult> results;

    public JmhResults(Collection<RunResult> results) {
        this.results = results;
    }

    /** The result of {@code method} (simple method name) with the given parameter values, if it ran. */
    public Optional<RunResult> find(String method, Map<String, String> params) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .filter(r -> params.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(r.getParams().getParam(e.getKey()))))
                .findFirst();
    }

    /** Primary score of a result. */
    public static double score(RunResult r) {
        return r.getPrimaryResult().getScore();
    }

    /** Primary score error (99.9 % half-width); NaN when JMH could not compute one. */
    public static Double error(RunResult r) {
        double e = r.getPrimaryResult().getScoreError();
        return Double.isNaN(e) ? null : e;
    }

    /** Percentile (0..100) of the primary result's samples, e.g. 50 for the median. */
    public static double percentile(RunResult r, double p) {
        Result<?> primary = r.getPrimaryResult();
        Statistics s = primary.getStatistics();
        return s.getPercentile(p);
    }

    /** Unit of the primary score. */
    public static String unit(RunResult r) {
        return r.getPrimaryResult().getScoreUnit();
    }
}

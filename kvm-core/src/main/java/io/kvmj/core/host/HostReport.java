package io.kvmj.core.host;

import java.util.List;

/** The result of a host probe: the checks in display order, the raw facts and the accelerator recommendation. */
public record HostReport(List<Check> checks, HostFacts facts, AccelRecommendation recommendation) {

    public HostReport {
        checks = List.copyOf(checks);
    }

    /** The check with this id, or null. */
    public Check check(String id) {
        return checks.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }

    /** The number of checks with this verdict. */
    public long count(Verdict verdict) {
        return checks.stream().filter(c -> c.verdict() == verdict).count();
    }
}

package io.kvmj.bench.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One measured figure, optionally beside a baseline measured in the same run.
 *
 * <p>{@code ratio} is always a <em>slowdown factor</em>: 1.0 means as fast as the baseline, 1.3 means
 * 30 % slower. For times it is {@code value / baseline}; for throughputs {@code baseline / value}.
 *
 * @param suite         benchmark suite id (ffi, qmp, hostdisk, imgcreate, guestdisk, launch)
 * @param name          what was measured, human readable
 * @param value         the measured value
 * @param unit          unit of {@code value} and {@code baselineValue}
 * @param error         JMH 99.9 % confidence half-width, or null
 * @param lowerIsBetter true for times, false for throughputs
 * @param baseline      what the baseline is (e.g. "raw C loop"), or null
 * @param baselineValue the baseline measured in the same run, or null
 * @param ratio         slowdown factor against the baseline, or null
 * @param target        target slowdown factor (e.g. 1.3), or null
 * @param valueTarget   target for the value itself in its unit (e.g. overhead ≤ 30 ms), or null
 * @param accelerator   "host" for figures that run no guest, otherwise the guest accelerator (TCG here)
 * @param note          free text (method, caveats), or null
 * @param series        who was measured when a suite compares several clients (kvmj, go-qemu, libvirt, ...): the
 *                      chart colours bars by it; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Figure(
        String suite,
        String name,
        double value,
        String unit,
        Double error,
        boolean lowerIsBetter,
        String baseline,
        Double baselineValue,
        Double ratio,
        Double target,
        Double valueTarget,
        String accelerator,
        String note,
        String series) {

    /** A figure without baseline. */
    public static Figure plain(String suite, String name, double value, String unit, boolean lowerIsBetter,
                               String accelerator, String note) {
        return new Figure(suite, name, value, unit, null, lowerIsBetter, null, null, null, null, null, accelerator,
                note, null);
    }

    /** A figure without baseline but with a target for its value (lower is better), e.g. an overhead in ms. */
    public static Figure withValueTarget(String suite, String name, double value, String unit, double valueTarget,
                                         String accelerator, String note) {
        return new Figure(suite, name, value, unit, null, true, null, null, null, null, valueTarget, accelerator,
                note, null);
    }

    /** A time-like figure (lower is better) against a same-run baseline. */
    public static Figure time(String suite, String name, double value, Double error, String unit,
                              String baseline, double baselineValue, Double target, String accelerator,
                              String note) {
        Double ratio = baselineValue > 0 ? value / baselineValue : null;
        return new Figure(suite, name, value, unit, error, true, baseline, baselineValue, ratio, target, null,
                accelerator, note, null);
    }

    /** A throughput-like figure (higher is better) against a same-run baseline. */
    public static Figure throughput(String suite, String name, double value, Double error, String unit,
                                    String baseline, double baselineValue, Double target, String accelerator,
                                    String note) {
        Double ratio = value > 0 ? baselineValue / value : null;
        return new Figure(suite, name, value, unit, error, false, baseline, baselineValue, ratio, target, null,
                accelerator, note, null);
    }

    /** This figure attributed to {@code who} (a peer in a comparison of clients). */
    public Figure withSeries(String who) {
        return new Figure(suite, name, value, unit, error, lowerIsBetter, baseline, baselineValue, ratio, target,
                valueTarget, accelerator, note, who);
    }

    /** True when a target exists and is met (ratio target first, then value target); null without target. */
    public Boolean meetsTarget() {
        if (target != null && ratio != null) {
            return ratio <= target;
        }
        if (valueTarget != null) {
            return lowerIsBetter ? value <= valueTarget : value >= valueTarget;
        }
        return null;
    }

    /** True when this figure carries a target. */
    public boolean hasTarget() {
        return target != null || valueTarget != null;
    }
}

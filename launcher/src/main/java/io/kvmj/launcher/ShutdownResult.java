package io.kvmj.launcher;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * How a guest ended.
 *
 * @param how            the way QEMU ended
 * @param exitCode       QEMU's exit status when known (128+N after signal N); {@code null} when unknown
 *                       (a detached QEMU that is not this JVM's child)
 * @param shutdownReason the {@code reason} of QEMU's SHUTDOWN event (e.g. {@code guest-shutdown},
 *                       {@code host-qmp-quit}) if one was seen, else {@code null}
 * @param took           time from the start of the shutdown request until QEMU was gone
 * @param steps          the requests kvmj sent, in order (empty when QEMU ended on its own); e.g.
 *                       {@code [QUIT]} when the ACPI power-down was skipped because the machine has no ACPI
 */
public record ShutdownResult(HowEnded how, Integer exitCode, String shutdownReason, Duration took,
                             List<ShutdownStep> steps) {
    public ShutdownResult {
        steps = List.copyOf(steps == null ? List.of() : steps);
    }

    /** A result with no steps sent by kvmj (QEMU ended on its own). */
    public ShutdownResult(HowEnded how, Integer exitCode, String shutdownReason, Duration took) {
        this(how, exitCode, shutdownReason, took, List.of());
    }

    /** {@link #exitCode()} as an optional. */
    public OptionalInt exit() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /**
     * True only when the guest powered itself off ({@link HowEnded#POWERED_OFF}): after the ACPI button, the agent's
     * request, or on its own. {@link HowEnded#QUIT} and the signals are hard stops for the guest (its unwritten page
     * cache is lost), and {@link HowEnded#EXITED} is QEMU ending without a power-off seen.
     */
    public boolean graceful() {
        return how == HowEnded.POWERED_OFF;
    }

    /** A hard stop: kvmj ended QEMU with {@code quit} or a signal. */
    public boolean hard() {
        return how == HowEnded.QUIT || how == HowEnded.TERMINATED || how == HowEnded.KILLED;
    }
}

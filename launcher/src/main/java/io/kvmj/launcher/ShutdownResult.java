package io.kvmj.launcher;

import java.time.Duration;
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
 */
public record ShutdownResult(HowEnded how, Integer exitCode, String shutdownReason, Duration took) {
    /** {@link #exitCode()} as an optional. */
    public OptionalInt exit() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /** True for the graceful endings: {@link HowEnded#POWERED_OFF}, {@link HowEnded#QUIT}, {@link HowEnded#EXITED}. */
    public boolean graceful() {
        return how == HowEnded.POWERED_OFF || how == HowEnded.QUIT || how == HowEnded.EXITED;
    }
}

package io.kvmj.launcher.storage;

import io.kvmj.qga.QgaClient;
import io.kvmj.qga.QgaException;
import io.kvmj.qga.model.FsFreezeStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an operation with the guest's filesystems frozen through its agent ({@code guest-fsfreeze-freeze}, then
 * {@code guest-fsfreeze-thaw}), as libvirt's {@code --quiesce} does: what the guest had written is on disk and no
 * write is in flight, so a snapshot taken meanwhile holds consistent filesystems. The thaw always runs, also when the
 * operation fails; a freeze that fails refuses the operation (nothing is taken unquiesced).
 *
 * <pre>{@code
 * try (QgaClient agent = QgaClient.open(guest.runtimeDir().agentSocket())) {
 *     Quiesce.Result r = Quiesce.around(agent, () -> {
 *         storage.externalSnapshot("disk0", overlay, "disk0-snap1");
 *         return null;
 *     });
 * }
 * }</pre>
 */
public final class Quiesce {
    private static final Logger LOG = LoggerFactory.getLogger(Quiesce.class);

    /**
     * What happened around the operation.
     *
     * @param frozen    filesystems frozen
     * @param thawed    filesystems thawed afterwards
     * @param frozenFor how long the guest's filesystems stayed frozen
     * @param value     the operation's result
     */
    public record Result<T>(int frozen, int thawed, Duration frozenFor, T value) {}

    /** The freeze or the thaw failed; {@link #stillFrozen()} tells whether the guest may be left frozen. */
    public static final class QuiesceException extends RuntimeException {
        private final boolean stillFrozen;

        QuiesceException(String message, boolean stillFrozen, Throwable cause) {
            super(message, cause);
            this.stillFrozen = stillFrozen;
        }

        /** True when the thaw failed: the guest's filesystems may still be frozen. */
        public boolean stillFrozen() {
            return stillFrozen;
        }
    }

    private Quiesce() {}

    /**
     * Freezes, runs {@code operation}, thaws. An exception of the operation is rethrown after the thaw; a failed thaw
     * is reported as {@link QuiesceException} (suppressed into the operation's exception when both fail).
     */
    public static <T> Result<T> around(QgaClient agent, Supplier<T> operation) {
        Objects.requireNonNull(agent, "agent");
        int frozen;
        try {
            if (agent.fsfreezeStatus() == FsFreezeStatus.FROZEN) {
                throw new QuiesceException("the guest's filesystems are already frozen by someone else; thaw them first"
                        + " (kvmj agent NAME fsthaw)", true, null);
            }
            frozen = agent.fsfreezeFreeze();
        } catch (QgaException e) {
            thawQuietly(agent);
            throw new QuiesceException("cannot freeze the guest's filesystems through its agent: " + e.getMessage()
                    + " (nothing was done)", false, e);
        }
        long t0 = System.nanoTime();
        T value;
        try {
            value = operation.get();
        } catch (RuntimeException e) {
            try {
                thaw(agent);
            } catch (QuiesceException t) {
                e.addSuppressed(t);
            }
            throw e;
        }
        int thawed = thaw(agent);
        Duration d = Duration.ofNanos(System.nanoTime() - t0);
        LOG.debug("quiesced: {} frozen, {} thawed, {} ms", frozen, thawed, d.toMillis());
        return new Result<>(frozen, thawed, d, value);
    }

    private static int thaw(QgaClient agent) {
        QgaException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return agent.fsfreezeThaw();
            } catch (QgaException e) {
                last = e;
                LOG.warn("thaw attempt {} failed: {}", attempt + 1, e.toString());
            }
        }
        throw new QuiesceException("the guest's filesystems may still be frozen: thaw failed (" + last.getMessage()
                + "); retry with: kvmj agent NAME fsthaw", true, last);
    }

    private static void thawQuietly(QgaClient agent) {
        try {
            agent.fsfreezeThaw();
        } catch (QgaException ignored) {
            // freeze failed before anything was frozen, or the agent is gone
        }
    }
}

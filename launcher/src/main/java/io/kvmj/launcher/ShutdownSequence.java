package io.kvmj.launcher;

import io.kvmj.qga.QgaClient;
import io.kvmj.qga.QgaClientOptions;
import io.kvmj.qga.QgaException;
import io.kvmj.qga.model.GuestShutdownMode;
import io.kvmj.qmp.QmpErrorException;
import io.kvmj.qmp.QmpMonitor;
import io.kvmj.qmp.command.QomGet;
import io.kvmj.qmp.command.QueryStatus;
import io.kvmj.qmp.command.Quit;
import io.kvmj.qmp.command.SystemPowerdown;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soft-then-hard shutdown ladder shared by {@link Guest} (QEMU is our child) and {@link GuestRegistry}
 * (QEMU found through its runtime directory):
 * <ol>
 * <li>ACPI {@code system_powerdown}, waiting up to the caller's timeout; skipped when forced, when the vCPUs are not
 * running, or when the machine has no ACPI ({@code -machine none}, {@code acpi=off}, {@code -no-acpi}, asked of QEMU
 * itself with {@code qom-get /machine acpi});</li>
 * <li>the guest agent's {@code guest-shutdown} (powerdown), when the guest has an agent channel and the agent answers
 * a sync within {@link #AGENT_SYNC}, again waiting up to the caller's timeout; skipped when forced or paused;</li>
 * <li>QMP {@code quit} ({@link #STEP}), a hard stop for the guest: its unwritten page cache is lost;</li>
 * <li>SIGTERM ({@link #STEP}), then SIGKILL ({@link #STEP}).</li>
 * </ol>
 * The worst case is therefore {@code 2 * timeout + AGENT_SYNC + 3 * STEP}. Every request sent is recorded in
 * {@link ShutdownResult#steps()}; only a guest that powered itself off ({@link HowEnded#POWERED_OFF}) ended
 * gracefully.
 */
final class ShutdownSequence {
    /** Bound of each step after the ACPI power-down. */
    static final Duration STEP = Duration.ofSeconds(5);
    /** How long the agent gets to answer a sync before its rung is skipped (no agent installed, not up yet). */
    static final Duration AGENT_SYNC = Duration.ofSeconds(2);
    /** After the guest's SHUTDOWN event QEMU normally exits at once; allow this much before {@code quit}. */
    private static final Duration AFTER_SHUTDOWN_EVENT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSequence.class);

    /** The QEMU process being stopped. */
    interface Target {
        boolean isAlive();

        /** Waits at most {@code timeout}; true when exited. */
        boolean awaitExit(Duration timeout);

        void sigterm();

        void sigkill();

        /** Exit status when known, else null. */
        Integer exitCode();

        /** True once the caller asked to skip the rest of the ACPI wait (a second Ctrl-C): checked while waiting. */
        default boolean hurried() {
            return false;
        }
    }

    private ShutdownSequence() {}

    /**
     * Runs the ladder.
     *
     * @param qmp            monitor or {@code null} (then straight to signals)
     * @param shutdownReason the reason of a SHUTDOWN event seen so far (null if none), updated by the caller
     * @param timeout        bound of the ACPI step
     * @param force          skip ACPI power-down and the agent
     */
    static ShutdownResult run(String name, QmpMonitor qmp, Target target, Supplier<String> shutdownReason,
                              Duration timeout, boolean force) {
        return run(name, qmp, null, target, shutdownReason, timeout, force, note -> { });
    }

    /**
     * Runs the ladder with the agent rung.
     *
     * @param agentSocket the host end of the guest's {@code org.qemu.guest_agent.0} port, or {@code null}
     * @param notes       hears what the ladder is about to wait for (to tell a user why nothing happens)
     */
    static ShutdownResult run(String name, QmpMonitor qmp, Path agentSocket, Target target,
                              Supplier<String> shutdownReason, Duration timeout, boolean force,
                              java.util.function.Consumer<String> notes) {
        long t0 = System.nanoTime();
        List<ShutdownStep> steps = new ArrayList<>();
        if (!target.isAlive()) {
            return result(HowEnded.EXITED, target, shutdownReason, t0, steps);
        }
        boolean qmpUsable = qmp != null && qmp.isOpen();
        boolean running = qmpUsable && running(qmp);
        if (!force && running && acpiCapable(name, qmp)) {
            try {
                steps.add(ShutdownStep.SYSTEM_POWERDOWN);
                qmp.call(new SystemPowerdown(), STEP);
                LOG.debug("{}: system_powerdown sent, waiting up to {} ms", name, timeout.toMillis());
                if (timeout.toMillis() > 0) {
                    notes.accept("ACPI power-down sent; waiting up to " + timeout.toSeconds() + " s for the guest OS "
                            + "to power off (a guest without an OS or ACPI support never does)");
                }
                if (awaitPowerOff(name, target, shutdownReason, timeout)) {
                    return result(HowEnded.POWERED_OFF, target, shutdownReason, t0, steps);
                }
            } catch (RuntimeException e) {
                LOG.debug("{}: system_powerdown failed: {}", name, e.toString());
            }
        }
        if (!force && running && shutdownReason.get() == null && target.isAlive() && !hurried(target)
                && agentShutdown(name, agentSocket)) {
            steps.add(ShutdownStep.AGENT_SHUTDOWN);
            LOG.debug("{}: guest-shutdown sent through the agent, waiting up to {} ms", name, timeout.toMillis());
            if (awaitPowerOff(name, target, shutdownReason, timeout)) {
                return result(HowEnded.POWERED_OFF, target, shutdownReason, t0, steps);
            }
        }
        boolean quitSent = false;
        if (qmpUsable && qmp.isOpen() && target.isAlive()) {
            try {
                steps.add(ShutdownStep.QUIT);
                qmp.execute(new Quit(), STEP);
                quitSent = true;
            } catch (RuntimeException e) {
                LOG.debug("{}: quit failed: {}", name, e.toString());
            }
            if (target.awaitExit(STEP)) {
                return result(ownEnd(shutdownReason, true), target, shutdownReason, t0, steps);
            }
        }
        // QEMU may have exited on its own meanwhile (guest powered off while QMP was closing): do not blame a signal
        if (target.awaitExit(Duration.ofMillis(200))) {
            return result(ownEnd(shutdownReason, quitSent), target, shutdownReason, t0, steps);
        }
        LOG.info("{}: QEMU still running, sending SIGTERM", name);
        steps.add(ShutdownStep.SIGTERM);
        target.sigterm();
        if (target.awaitExit(STEP)) {
            return result(HowEnded.TERMINATED, target, shutdownReason, t0, steps);
        }
        LOG.warn("{}: QEMU ignored SIGTERM, sending SIGKILL", name);
        steps.add(ShutdownStep.SIGKILL);
        target.sigkill();
        if (target.awaitExit(STEP)) {
            return result(HowEnded.KILLED, target, shutdownReason, t0, steps);
        }
        return result(HowEnded.STILL_RUNNING, target, shutdownReason, t0, steps);
    }

    /**
     * Waits up to {@code timeout} for the guest to power off: true when QEMU exited; false on timeout, when the
     * caller hurries, or when the guest powered off but QEMU stays ({@code -no-shutdown}; quit follows).
     */
    private static boolean awaitPowerOff(String name, Target target, Supplier<String> shutdownReason,
                                         Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long shutdownSeenAt = 0;
        while (System.nanoTime() < deadline) {
            if (hurried(target)) {
                LOG.debug("{}: asked to hurry, not waiting for the power-down any longer", name);
                return false;
            }
            if (target.awaitExit(Duration.ofMillis(50))) {
                return true;
            }
            if (shutdownReason.get() != null) {
                if (shutdownSeenAt == 0) {
                    shutdownSeenAt = System.nanoTime();
                } else if (System.nanoTime() - shutdownSeenAt > AFTER_SHUTDOWN_EVENT.toNanos()) {
                    return false; // powered off but QEMU stays (-no-shutdown): quit it below
                }
            }
        }
        return false;
    }

    private static boolean hurried(Target target) {
        return target.hurried();
    }

    /**
     * Asks the guest agent to power the guest off: true when the agent answered a sync and took the request
     * ({@code guest-shutdown} gives no reply on success). False without an agent channel, when the agent does not
     * answer within {@link #AGENT_SYNC}, or refuses.
     */
    static boolean agentShutdown(String name, Path agentSocket) {
        if (agentSocket == null || !Files.exists(agentSocket)) {
            return false;
        }
        QgaClientOptions o = QgaClientOptions.builder().syncTimeout(AGENT_SYNC).commandTimeout(STEP).build();
        try (QgaClient qga = QgaClient.open(agentSocket, o)) {
            qga.sync();
            qga.shutdown(GuestShutdownMode.POWERDOWN);
            return true;
        } catch (QgaException e) {
            LOG.debug("{}: agent shutdown not possible: {}", name, e.toString());
            return false;
        }
    }

    private static HowEnded ownEnd(Supplier<String> reason, boolean quitSent) {
        if (isGuestShutdown(reason.get())) {
            return HowEnded.POWERED_OFF;
        }
        return quitSent ? HowEnded.QUIT : HowEnded.EXITED;
    }

    /** SIGKILL at once, bounded wait. */
    static ShutdownResult kill(Target target, Supplier<String> shutdownReason) {
        long t0 = System.nanoTime();
        if (!target.isAlive()) {
            return result(HowEnded.EXITED, target, shutdownReason, t0, List.of());
        }
        target.sigkill();
        return result(target.awaitExit(STEP) ? HowEnded.KILLED : HowEnded.STILL_RUNNING, target, shutdownReason, t0,
                List.of(ShutdownStep.SIGKILL));
    }

    static boolean isGuestShutdown(String reason) {
        return reason != null && reason.startsWith("guest-shutdown");
    }

    private static boolean running(QmpMonitor qmp) {
        try {
            return qmp.call(new QueryStatus(), STEP).running();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether the machine can answer an ACPI power-down, asked of QEMU: x86 boards with ACPI (pc, q35, microvm)
     * have a {@code /machine} property {@code acpi} ({@code auto}/{@code on}; {@code off} with {@code acpi=off} or
     * {@code -no-acpi}); a board without ACPI ({@code -machine none}) has no such property and QEMU answers with an
     * error. When QEMU cannot be asked (timeout, connection lost) the power-down is tried as before.
     */
    static boolean acpiCapable(String name, QmpMonitor qmp) {
        try {
            String acpi = qmp.call(new QomGet("/machine", "acpi"), STEP).asText();
            if ("off".equals(acpi)) {
                LOG.debug("{}: machine has acpi=off, skipping system_powerdown", name);
                return false;
            }
            return true;
        } catch (QmpErrorException e) {
            LOG.debug("{}: machine has no ACPI ({}), skipping system_powerdown", name, e.description());
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static ShutdownResult result(HowEnded how, Target t, Supplier<String> reason, long t0,
                                         List<ShutdownStep> steps) {
        return new ShutdownResult(how, t.exitCode(), reason.get(), Duration.ofNanos(System.nanoTime() - t0), steps);
    }
}

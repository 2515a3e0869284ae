package io.kvmj.launcher.backend;

import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.HowEnded;
import io.kvmj.launcher.ShutdownResult;
import io.kvmj.launcher.ShutdownStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;

/**
 * {@link LibvirtBackend#stop}'s shutdown ladder on a running domain: libvirt's ACPI shutdown, its guest-agent
 * shutdown (each awaited up to the timeout), then {@code virDomainDestroy} (SIGTERM, SIGKILL).
 *
 * <pre>{@code
 * ShutdownResult r = LibvirtShutdownLadder.stop(domain, Duration.ofSeconds(30), false, e -> new GuestException(...));
 * }</pre>
 */
final class LibvirtShutdownLadder {
    private static final Duration POLL = Duration.ofMillis(100);

    private LibvirtShutdownLadder() {
    }

    static ShutdownResult stop(Domain d, Duration timeout, boolean force,
                               Function<LibvirtException, GuestException> failed) {
        long t0 = System.nanoTime();
        List<ShutdownStep> steps = new ArrayList<>();
        if (!force) {
            try {
                LibvirtNative.shutdown(d, LibvirtNative.SHUTDOWN_ACPI);
                steps.add(ShutdownStep.SYSTEM_POWERDOWN);
                if (awaitShutoff(d, timeout)) {
                    return new ShutdownResult(HowEnded.POWERED_OFF, null, "guest-shutdown", since(t0), steps);
                }
            } catch (GuestException e) {
                // no ACPI (acpi=off), or libvirt refused: the agent next
            }
            try {
                LibvirtNative.shutdown(d, LibvirtNative.SHUTDOWN_GUEST_AGENT);
                steps.add(ShutdownStep.AGENT_SHUTDOWN);
                if (awaitShutoff(d, timeout)) {
                    return new ShutdownResult(HowEnded.POWERED_OFF, null, "guest-shutdown", since(t0), steps);
                }
            } catch (GuestException e) {
                // no agent in the guest, or it does not answer: the hard stop
            }
        }
        try {
            steps.add(ShutdownStep.SIGTERM); // virDomainDestroy: SIGTERM, then SIGKILL after libvirt's own wait
            d.destroy();
        } catch (LibvirtException e) {
            if (!shutoff(d)) {
                throw failed.apply(e);
            }
        }
        return new ShutdownResult(HowEnded.TERMINATED, null, "host-destroy", since(t0), steps);
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private static boolean shutoff(Domain d) {
        return LibvirtNative.state(d)[0] == DomainInfo.DomainState.VIR_DOMAIN_SHUTOFF.ordinal();
    }

    /** Polls libvirt's state (a local call on the daemon's cached state) until shut off or {@code timeout}. */
    private static boolean awaitShutoff(Domain d, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (shutoff(d)) {
                return true;
            }
            if (System.nanoTime() >= end) {
                return false;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return shutoff(d);
            }
        }
    }

}

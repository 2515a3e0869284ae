package io.kvmj.launcher;

import java.time.Duration;
import java.util.Locale;

/**
 * Where the time of one {@link Launcher#launch} went, measured on the launching thread, each phase from the end of
 * the one before:
 *
 * <ul>
 *   <li>{@code prepare}: the runtime directory claimed and its records written ({@code guest.json}, {@code spec.json},
 *       a cloud-init seed or VNC password when the guest has one), kvmj's QMP socket listening;</li>
 *   <li>{@code spawn}: QEMU started (through {@code setpriv --pdeathsig} and {@code setsid} when present, see
 *       {@code OrphanProtection}) and its pid recorded;</li>
 *   <li>{@code qmpReady}: QEMU's greeting read and {@code qmp_capabilities} answered, i.e. QEMU's own start-up until
 *       its monitor runs, plus the negotiation;</li>
 *   <li>{@code firstStatus}: the {@code query-status} that tells a paused guest from a running one, and the
 *       {@code Guest} set up.</li>
 * </ul>
 *
 * <pre>{@code
 * try (Guest g = launcher.launch(spec)) {
 *     System.out.println(g.launchTimings());   // prepare 2.1 ms, spawn 3.4 ms, qmpReady 48.0 ms, firstStatus 0.9 ms
 * }
 * }</pre>
 */
public record LaunchTimings(Duration prepare, Duration spawn, Duration qmpReady, Duration firstStatus) {

    /** The whole launch: the sum of the phases. */
    public Duration total() {
        return prepare.plus(spawn).plus(qmpReady).plus(firstStatus);
    }

    /** From {@code System.nanoTime()} marks: start, after prepare, after spawn, after QMP ready, at the end. */
    static LaunchTimings of(long start, long prepared, long spawned, long ready, long end) {
        return new LaunchTimings(Duration.ofNanos(prepared - start), Duration.ofNanos(spawned - prepared),
                Duration.ofNanos(ready - spawned), Duration.ofNanos(end - ready));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "prepare %.1f ms, spawn %.1f ms, qmpReady %.1f ms, firstStatus %.1f ms",
                ms(prepare), ms(spawn), ms(qmpReady), ms(firstStatus));
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }
}

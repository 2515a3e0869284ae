package io.kvmj.launcher.migrate;

import io.kvmj.launcher.Guest;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.qmp.QmpMonitor;
import java.time.Duration;
import java.util.Objects;

/**
 * The running guest a migration starts from: its name, a QMP connection to its QEMU and how to end that QEMU once
 * the destination runs the guest.
 *
 * @param name the guest's name
 * @param qmp  QMP of the source QEMU
 * @param end  ends the source QEMU (called only after the destination runs)
 */
public record MigrationSource(String name, QmpMonitor qmp, Runnable end) {
    public MigrationSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(qmp, "qmp");
        Objects.requireNonNull(end, "end");
    }

    /** A guest this JVM launched; ended with {@link Guest#quit()} (its runtime directory is removed too). */
    public static MigrationSource of(Guest guest) {
        return new MigrationSource(guest.name(), guest.qmp(), guest::close);
    }

    /**
     * A guest found through {@link GuestRegistry} (launched by any process), over the given QMP connection; ended
     * with {@link GuestRegistry#stop} forced ({@code quit}; the guest is paused after migrating, ACPI would not help).
     */
    public static MigrationSource registered(String name, QmpMonitor qmp) {
        return new MigrationSource(name, qmp, () -> GuestRegistry.stop(name, Duration.ZERO, true));
    }
}

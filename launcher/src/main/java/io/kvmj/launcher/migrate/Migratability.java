package io.kvmj.launcher.migrate;

import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.qemu.ShellQuote;
import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.launcher.storage.LiveDisks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What in a {@link GuestSpec} QEMU cannot migrate, checked before anything starts, so kvmj refuses with a reason
 * instead of launching a destination that QEMU then rejects.
 *
 * <pre>{@code
 * List<String> why = Migratability.problems(spec);   // empty: migratable
 * Migratability.check(spec);                         // throws MigrationRefusedException
 * }</pre>
 */
public final class Migratability {
    private Migratability() {
    }

    /** Reasons, one line each; empty when nothing in the spec blocks migration. */
    public static List<String> problems(GuestSpec spec) {
        List<String> out = new ArrayList<>();
        spec.shares().forEach(s -> out.add("9p share '" + s.tag() + "' (" + s.path() + "): QEMU blocks migration "
                + "while a 9p export is mounted and cannot carry its open files; drop the share (no --share)"));
        spec.pciDevices().forEach(d -> out.add("vfio device " + d.bdf() + ": a passed-through PCI device's state "
                + "cannot be migrated"));
        spec.usbDevices().forEach(d -> out.add("usb-host device " + d + ": a host USB device stays on this host"));
        return out;
    }

    /**
     * What does not block a move but makes it unsafe, one line each; empty when nothing: a CPU model that is not
     * migration-safe ({@code max}, {@code host}: the guest sees whatever the accelerator offers, so a destination QEMU
     * on another host or version may differ; QEMU's qemu-cpu-models(7) recommends a named model for guests that
     * move), and a TCG guest without kvmj's memory padding ({@link TcgDirtyTracking}: started by an older kvmj, or
     * with a memory backend or NUMA nodes), whose writes QEMU before 9.0 can lose during the move. Post-copy has its
     * own warning ({@link #postcopyWarning}).
     *
     * <pre>{@code
     * Migratability.warnings(spec).forEach(w -> System.err.println("warning: " + w));
     * }</pre>
     */
    public static List<String> warnings(GuestSpec spec) {
        return warnings(spec, false);
    }

    /** {@link #warnings(GuestSpec)} for a move by post-copy or not: the lost TCG writes then as {@link #postcopyWarning}. */
    public static List<String> warnings(GuestSpec spec, boolean postcopy) {
        List<String> out = new ArrayList<>();
        String cpu = spec.cpu().name();
        if (cpu.equals("max") || cpu.equals("host")) {
            out.add("CPU model '" + cpu + "' is not migration-safe (the guest sees what this QEMU and host "
                    + "offer, which another host or QEMU version may not): run guests that "
                    + "move with a named model, e.g. --cpu qemu64 (libvirt's default on TCG)");
        }
        if (postcopy) {
            postcopyWarning(spec).ifPresent(out::add);
        } else if (TcgDirtyTracking.exposed(spec)) {
            out.add(EXPOSED);
        }
        return out;
    }

    private static final String EXPOSED = "this TCG guest runs without kvmj's 8 KiB memory padding (started by an "
            + "older kvmj, or memory on a backend or NUMA nodes): QEMU before 9.0 can lose its writes during a live "
            + "move (QEMU commit 03bfc2188f), and the guest may crash or hang afterwards; restart it with this kvmj "
            + "to move it safely";

    /**
     * A warning for a post-copy move of a TCG guest exposed to QEMU's lost TCG writes ({@link TcgDirtyTracking}),
     * where they show most (kvmj's tests saw up to ~45% of post-copy moves of such a 2-vCPU guest crash or hang), or
     * empty: KVM guests and TCG guests launched with the padding move by post-copy reliably.
     *
     * <pre>{@code
     * Migratability.postcopyWarning(spec).ifPresent(w -> System.err.println("warning: " + w));
     * }</pre>
     */
    public static Optional<String> postcopyWarning(GuestSpec spec) {
        if (!TcgDirtyTracking.exposed(spec)) {
            return Optional.empty();
        }
        return Optional.of("post-copy under TCG is unreliable for this guest: " + EXPOSED
                + "; prefer pre-copy (--auto-converge helps a busy guest)");
    }

    /**
     * {@code launched} with its disks on the images the running {@code source} uses now
     * ({@link LiveDisks#current}); refused when QEMU's drives no longer match the spec in a way kvmj cannot describe.
     */
    public static GuestSpec liveDisks(MigrationSource source, GuestSpec launched) {
        try {
            return LiveDisks.current(launched, source.qmp());
        } catch (IllegalStateException e) {
            throw new MigrationRefusedException(launched.name(), List.of(e.getMessage()));
        }
    }

    /** Throws {@link MigrationRefusedException} when {@link #problems} is not empty. */
    public static void check(GuestSpec spec) {
        List<String> p = problems(spec);
        if (!p.isEmpty()) {
            throw new MigrationRefusedException(spec.name(), p);
        }
    }

    /**
     * Refuses a guest launched with raw QEMU arguments ({@code kvmj run --qemu-arg}, recorded as
     * {@code qemuArgs} in its {@code GuestRecord}) where kvmj would have to start it again from its spec:
     * the spec cannot carry them, and kvmj cannot tell what they mean to a second QEMU (a device whose state must
     * be migrated, a socket path or image the running source holds). A migration to a QEMU the user starts
     * ({@code --to tcp:HOST:PORT}) is not refused: its argv is the user's.
     *
     * @param why what starting without them would break, e.g. "restore would start it without them"
     */
    public static void checkNoRawArgs(String name, String why) {
        List<String> args = RuntimeDir.find(name).map(d -> d.record().qemuArgs()).orElse(null);
        if (args != null && !args.isEmpty()) {
            String raw = ShellQuote.join(args);
            throw new MigrationRefusedException(name, List.of("it was started with raw QEMU arguments (" + raw
                    + ") that its spec does not carry and kvmj cannot judge (device state, host paths or sockets the "
                    + "source holds); " + why + ". Migrate it with --to tcp:HOST:PORT to a QEMU you start with "
                    + "'kvmj run --incoming tcp:ADDR:PORT' and the same --qemu-arg"));
        }
    }
}

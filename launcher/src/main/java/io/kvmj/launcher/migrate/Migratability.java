package io.kvmj.launcher.migrate;

import io.kvmj.core.model.GuestSpec;
import java.util.ArrayList;
import java.util.List;

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

    /** Throws {@link MigrationRefusedException} when {@link #problems} is not empty. */
    public static void check(GuestSpec spec) {
        List<String> p = problems(spec);
        if (!p.isEmpty()) {
            throw new MigrationRefusedException(spec.name(), p);
        }
    }
}

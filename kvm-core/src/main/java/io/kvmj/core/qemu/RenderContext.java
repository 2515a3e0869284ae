package io.kvmj.core.qemu;

import io.kvmj.core.host.HostEnvironment;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.MachineType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Mutable state of one rendering: the argv being built, the warnings, the spec and the host. */
final class RenderContext {
    final GuestSpec spec;
    final HostEnvironment host;
    final List<String> argv = new ArrayList<>();
    final List<Warning> warnings = new ArrayList<>();
    /**
     * Devices with a fixed PCI slot (a disk hot-plugged earlier, {@link io.kvmj.core.model.DiskSpec#pciSlot()}),
     * rendered after everything else: their bus may be a spare root port, and devices QEMU places itself must get
     * the slots they got when the guest was first launched.
     */
    final List<QemuOpts> lateDevices = new ArrayList<>();

    RenderContext(GuestSpec spec, HostEnvironment host) {
        this.spec = spec;
        this.host = host;
    }

    /** Adds {@code option value}. */
    void arg(String option, String value) {
        argv.add(option);
        argv.add(value);
    }

    void arg(String option, QemuOpts value) { arg(option, value.render()); }

    void flag(String option) { argv.add(option); }

    void warn(String field, String message) { warnings.add(new Warning(field, message)); }

    /** Absolute, normalised form of a user path; refuses newline/NUL in it. */
    static Path abs(String field, Path p) {
        if (p == null) {
            throw new InvalidSpecException(field, null, "path missing");
        }
        QemuOpts.checkCarriable(field, p.toString());
        return p.toAbsolutePath().normalize();
    }

    static String absString(String field, Path p) { return abs(field, p).toString(); }

    boolean microvm() { return spec.machine() == MachineType.MICROVM; }

    /** The virtio device for this board: {@code virtio-X-pci} on q35/pc, {@code virtio-X-device} (virtio-mmio) on microvm. */
    String virtio(String kind) { return "virtio-" + kind + (microvm() ? "-device" : "-pci"); }

    /** Refuses devices microvm has no bus for. */
    void requireNotMicrovm(String field, String what) {
        if (microvm()) {
            throw new InvalidSpecException(field, what, "microvm has no PCI/ISA bus for this device; use q35");
        }
    }
}

package io.kvmj.core.model;

import java.util.Objects;

/**
 * Where a PCI device sits: its bus ({@code pci.0} on pc, a spare root port {@code hotplugN} on q35) and, when
 * fixed, its {@code devfn} on that bus. A disk hot-plugged into a running guest records the slot QEMU gave it, so a
 * QEMU started again from the spec ({@code kvmj migrate} to a new guest, {@code restore}) has the device at the same
 * address: QEMU names a device's migration state after its PCI path and refuses a stream whose devices sit
 * elsewhere.
 *
 * <pre>{@code
 * PciSlot.of("hotplug0", null);   // -device virtio-blk-pci,...,bus=hotplug0   (a root port has one slot)
 * PciSlot.of("pci.0", 0x28);      // -device virtio-blk-pci,...,bus=pci.0,addr=5.0
 * }</pre>
 *
 * @param bus   the PCI bus id
 * @param devfn slot * 8 + function on {@code bus} (as QEMU's {@code addr} property reads), or null to let QEMU pick
 */
public record PciSlot(String bus, Integer devfn) {
    public PciSlot {
        Objects.requireNonNull(bus, "bus");
        if (!bus.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
            throw new InvalidSpecException("pciSlot.bus", bus, "not a PCI bus id");
        }
        if (devfn != null && (devfn < 0 || devfn > 255)) {
            throw new InvalidSpecException("pciSlot.devfn", devfn, "must be 0..255 (slot * 8 + function)");
        }
    }

    public static PciSlot of(String bus, Integer devfn) {
        return new PciSlot(bus, devfn);
    }

    /** QEMU's {@code addr} value ({@code SLOT.FUNCTION} in hex), or null when QEMU picks. */
    public String qemuAddr() {
        return devfn == null ? null : Integer.toHexString(devfn >> 3) + "." + Integer.toHexString(devfn & 7);
    }
}

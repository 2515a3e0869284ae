package io.kvmj.core.model;

/** Board types kvmj supports. */
public enum MachineType {
    Q35("q35"), PC("pc"), MICROVM("microvm");

    private final String qemuName;

    MachineType(String qemuName) { this.qemuName = qemuName; }

    /** Name as given to {@code -machine type=}. */
    public String qemuName() { return qemuName; }

    /** True for boards with a PCI bus (q35, pc); microvm has only virtio-mmio. */
    public boolean hasPciBus() { return this != MICROVM; }
}

package io.kvmj.core.model;

/** Board types kvmj supports. */
public enum MachineType {
    Q35("q35"), PC("pc"), MICROVM("microvm");

    private final String qemuName;

    MachineType(String qemuName) { this.qemuName = qemuName; }

    /** Name as given to {@code -machine type=}. */
    public String qemuName() { return qemuName; }

    /** The prefix of this board's versioned names ({@code pc-q35-7.2}, {@code pc-i440fx-7.2}), or null (microvm). */
    public String versionPrefix() {
        return switch (this) {
            case Q35 -> "pc-q35-";
            case PC -> "pc-i440fx-";
            case MICROVM -> null;
        };
    }

    /** Checks that {@code version} (may be null) is a versioned name of {@code type}. */
    public static void checkVersion(MachineType type, String version) {
        if (version == null) {
            return;
        }
        if (type.versionPrefix() == null || !version.startsWith(type.versionPrefix())
                || !version.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw new InvalidSpecException("machineVersion", version, "not a versioned name of board " + type.qemuName()
                    + (type.versionPrefix() == null ? " (it has none)" : " (" + type.versionPrefix() + "X.Y)"));
        }
    }

    /** True for boards with a PCI bus (q35, pc); microvm has only virtio-mmio. */
    public boolean hasPciBus() { return this != MICROVM; }
}

package io.kvmj.core.model;

import java.util.Optional;

/** Image format driver of the format node. vmdk, vdi, vhdx and vpc (VHD) are accepted read-only only. */
public enum DiskFormat {
    RAW("raw", false), QCOW2("qcow2", false), VMDK("vmdk", true), VDI("vdi", true), VHDX("vhdx", true), VPC("vpc", true);

    private final String driver;
    private final boolean readOnlyOnly;

    DiskFormat(String driver, boolean readOnlyOnly) {
        this.driver = driver;
        this.readOnlyOnly = readOnlyOnly;
    }

    public String driver() { return driver; }

    /** Foreign formats that kvmj only attaches read-only (convert with qemu-img to write). */
    public boolean readOnlyOnly() { return readOnlyOnly; }

    /**
     * The format whose QEMU driver name is {@code driver}, as {@code query-block} reports it ({@code "qcow2"} →
     * {@link #QCOW2}); empty for a driver kvmj has no format for.
     */
    public static Optional<DiskFormat> ofDriver(String driver) {
        for (DiskFormat f : values()) {
            if (f.driver.equals(driver)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}

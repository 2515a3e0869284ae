package io.kvmj.core.model;

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
}

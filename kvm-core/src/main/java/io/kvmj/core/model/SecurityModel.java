package io.kvmj.core.model;

/** 9p {@code security_model}; kvmj defaults to {@link #MAPPED_XATTR}, the others only when asked. */
public enum SecurityModel {
    MAPPED_XATTR("mapped-xattr"), MAPPED_FILE("mapped-file"), PASSTHROUGH("passthrough"), NONE("none");

    private final String qemuName;

    SecurityModel(String qemuName) { this.qemuName = qemuName; }

    public String qemuName() { return qemuName; }
}

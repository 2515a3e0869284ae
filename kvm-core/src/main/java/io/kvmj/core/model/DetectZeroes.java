package io.kvmj.core.model;

/** blockdev {@code detect-zeroes}; {@code unmap} needs {@code discard=unmap}. */
public enum DetectZeroes {
    OFF("off"), ON("on"), UNMAP("unmap");

    private final String qemuName;

    DetectZeroes(String qemuName) { this.qemuName = qemuName; }

    public String qemuName() { return qemuName; }
}

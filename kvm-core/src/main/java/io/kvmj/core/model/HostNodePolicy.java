package io.kvmj.core.model;

/** NUMA policy of a memory backend bound to host nodes ({@code policy=}). */
public enum HostNodePolicy {
    DEFAULT("default"), PREFERRED("preferred"), BIND("bind"), INTERLEAVE("interleave");

    private final String qemuName;

    HostNodePolicy(String qemuName) { this.qemuName = qemuName; }

    public String qemuName() { return qemuName; }
}

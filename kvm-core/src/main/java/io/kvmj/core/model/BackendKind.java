package io.kvmj.core.model;

/** QOM type of a memory backend. */
public enum BackendKind {
    RAM("memory-backend-ram"), FILE("memory-backend-file"), MEMFD("memory-backend-memfd");

    private final String qomType;

    BackendKind(String qomType) { this.qomType = qomType; }

    public String qomType() { return qomType; }
}

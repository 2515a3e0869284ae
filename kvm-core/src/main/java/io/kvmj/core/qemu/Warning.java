package io.kvmj.core.qemu;

/** A rendered-anyway concern about a spec: the field and why it is risky. */
public record Warning(String field, String message) {
    @Override
    public String toString() { return field + ": " + message; }
}

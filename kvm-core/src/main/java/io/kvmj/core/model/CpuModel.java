package io.kvmj.core.model;

import java.util.Objects;

/** Guest CPU model for {@code -cpu}: {@code host} (needs KVM), {@code max} or a named model such as {@code Skylake-Client}. */
public record CpuModel(String name) {
    public CpuModel {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new InvalidSpecException("cpu", name, "not a QEMU CPU model name");
        }
    }

    public static CpuModel host() { return new CpuModel("host"); }

    public static CpuModel max() { return new CpuModel("max"); }

    public static CpuModel named(String name) { return new CpuModel(name); }
}

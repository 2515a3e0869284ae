package io.kvmj.core.model;

import java.nio.file.Path;
import java.util.Objects;

/** UEFI firmware: OVMF code (read-only pflash0) and an optional per-guest writable vars file (pflash1). */
public record Firmware(Path code, Path vars) {
    public Firmware { Objects.requireNonNull(code, "code"); }

    public static Firmware ovmf(Path code, Path vars) { return new Firmware(code, vars); }
}

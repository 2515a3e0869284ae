package io.kvmj.core.model;

import java.nio.file.Path;
import java.util.Objects;

/** A read-only ISO image attached as an IDE/AHCI CD-ROM ({@code ide-cd}). */
public record CdRom(String id, Path iso, Integer bootIndex) {
    public CdRom { Objects.requireNonNull(id, "id"); Objects.requireNonNull(iso, "iso"); }

    public static CdRom of(String id, Path iso) { return new CdRom(id, iso, null); }

    public CdRom bootIndex(int i) { return new CdRom(id, iso, i); }
}

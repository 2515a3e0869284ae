package io.kvmj.core.image;

import java.util.Locale;

/**
 * qemu-img preallocation modes. {@code OFF} creates a sparse image, {@code METADATA} (qcow2 only) writes
 * the qcow2 tables, {@code FALLOC} reserves blocks with fallocate() without writing, {@code FULL} writes
 * zeros to every byte (slowest, but the space is really allocated on every filesystem).
 */
public enum Preallocation {
    OFF, METADATA, FALLOC, FULL;

    /** The value qemu-img expects ({@code off}, {@code metadata}, ...). */
    public String qemuName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a qemu-img preallocation name, case-insensitive. */
    public static Preallocation of(String name) {
        for (Preallocation p : values()) {
            if (p.qemuName().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preallocation '" + name + "' (expected off, metadata, falloc or full)");
    }
}

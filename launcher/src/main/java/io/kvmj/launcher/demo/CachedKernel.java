package io.kvmj.launcher.demo;

import java.nio.file.Path;

/**
 * A Debian kernel unpacked in the kvmj cache: {@code vmlinuz}, the demo modules under {@code modules/} and
 * {@code kernel.properties} describing where it came from.
 *
 * @param dir            the cache entry directory
 * @param packageName    e.g. {@code linux-image-6.1.0-56-amd64}
 * @param packageVersion e.g. {@code 6.1.192-2}
 * @param release        kernel release, e.g. {@code 6.1.0-56-amd64}
 */
public record CachedKernel(Path dir, String packageName, String packageVersion, String release) {
    /** The bzImage. */
    public Path kernel() {
        return dir.resolve("vmlinuz");
    }

    /** A module tree (with {@code modules.builtin}) holding the modules the demo guest needs. */
    public Path moduleTree() {
        return dir.resolve("modules");
    }
}

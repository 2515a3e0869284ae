package io.kvmj.launcher.osimage;

import java.nio.file.Path;

/**
 * A base disk in the kvmj cache (raw, MBR + ext4 + GRUB, no per-image customization: root locked, no ssh host
 * keys). Do not boot it directly: copy it or put a qcow2 overlay on it.
 *
 * @param dir       the cache entry
 * @param disk      {@code dir/base.raw}
 * @param manifest  {@code dir/base.json}
 * @param fromCache true if it was already cached, false if just built
 */
public record CachedBase(Path dir, Path disk, BaseManifest manifest, boolean fromCache) {
}

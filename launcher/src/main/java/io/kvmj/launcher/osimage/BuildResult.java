package io.kvmj.launcher.osimage;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A finished build.
 *
 * @param output       the image written
 * @param format       {@code qcow2} or {@code raw}
 * @param virtualBytes its virtual size
 * @param release      e.g. {@code debian-12}
 * @param hostname     the guest's hostname
 * @param rootPassword the generated password for {@code --root-password random}, else null (never echoes a given one)
 * @param cacheKey     the base's cache key
 * @param baseDisk     the cached base disk it was made from
 * @param baseCached   true if the base came from the cache, false if this build made it
 * @param kernel       the guest kernel file
 * @param rootUuid     the root filesystem's UUID
 * @param elapsed      wall time of the build
 */
public record BuildResult(Path output, String format, long virtualBytes, String release, String hostname,
                          String rootPassword, String cacheKey, Path baseDisk, boolean baseCached, String kernel,
                          String rootUuid, Duration elapsed) {
}

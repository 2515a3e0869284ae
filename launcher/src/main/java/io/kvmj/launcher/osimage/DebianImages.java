package io.kvmj.launcher.osimage;

import io.kvmj.core.image.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Shortcuts for tests and tools that need a real Debian guest disk: the cached base, or a customized image built
 * from it (seconds once the base is cached).
 *
 * <pre>{@code
 * Path disk = DebianImages.ensureImage(tmp.resolve("debian.qcow2"), "kvmj-test");  // root password kvmj-test
 * }</pre>
 */
public final class DebianImages {
    private DebianImages() {}

    /** The cached Debian 12 base with the default packages, built first if missing (minutes, needs root). */
    public static CachedBase cachedBase(BuildListener listener) throws IOException {
        return DebianImageBuilder.create().ensureBase(DebianRelease.DEBIAN_12, DebianBase.PACKAGES,
            ImageBuildSpec.DEFAULT_MIRROR, listener);
    }

    /**
     * A Debian 12 qcow2 image of the default size at {@code output} (built from the cached base if it does not
     * exist yet) with root's password {@code rootPassword}; returns {@code output}.
     */
    public static Path ensureImage(Path output, String rootPassword) throws IOException {
        if (Files.exists(output)) {
            return output;
        }
        DebianImageBuilder.create().build(ImageBuildSpec.builder(DebianRelease.DEBIAN_12, output)
            .format(ImageFormat.QCOW2).rootPassword(RootPassword.of(rootPassword)).build(), BuildListener.NONE);
        return output;
    }

    /** The default package set (for cache lookups). */
    public static List<String> defaultPackages() {
        return DebianBase.PACKAGES;
    }
}

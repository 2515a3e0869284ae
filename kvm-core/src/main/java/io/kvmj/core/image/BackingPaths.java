package io.kvmj.core.image;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Backing-file names as QEMU treats them: a relative name is relative to the directory of the image that
 * refers to it (not to the current directory), and names with a protocol prefix ({@code nbd:}, {@code json:})
 * are not local paths.
 */
public final class BackingPaths {
    private BackingPaths() {}

    /** Resolves {@code backing} as QEMU does for an image at {@code image}. Empty for protocol names. */
    public static Optional<Path> resolve(Path image, String backing) {
        if (backing == null || backing.isEmpty() || hasProtocol(backing)) {
            return Optional.empty();
        }
        Path b = Path.of(backing);
        if (b.isAbsolute()) {
            return Optional.of(b.normalize());
        }
        Path dir = realDir(image.toAbsolutePath().getParent());
        return Optional.of(dir.resolve(b).normalize());
    }

    /**
     * The name to store in an overlay at {@code overlay} so that it points at {@code base}: relative to the
     * overlay's directory when {@code relative}, else absolute. The relative name is computed between the real
     * (symlink-free) directories of the two: the kernel follows a symlinked directory before it applies
     * {@code ..}, so a name computed lexically through a symlink would point elsewhere. The base's own file name
     * is kept (a symlinked base stays a link to follow).
     */
    public static String nameFor(Path overlay, Path base, boolean relative) {
        Path absBase = base.toAbsolutePath().normalize();
        if (!relative) {
            return absBase.toString();
        }
        Path dir = realDir(overlay.toAbsolutePath().getParent());
        Path realBase = realDir(base.toAbsolutePath().getParent()).resolve(absBase.getFileName());
        String rel = dir.relativize(realBase).toString();
        // a relative name with a colon before any slash would be read by QEMU as a protocol prefix
        return hasProtocol(rel) ? "./" + rel : rel;
    }

    /** {@code dir} with symlinks resolved, or as given (normalized) when it does not exist. */
    private static Path realDir(Path dir) {
        try {
            return dir.toRealPath();
        } catch (java.io.IOException e) {
            return dir.normalize();
        }
    }

    /**
     * True if QEMU would read {@code name} as {@code protocol:rest}: like QEMU's path_has_protocol(), any
     * colon before the first slash counts, whatever the characters before it.
     */
    static boolean hasProtocol(String name) {
        int colon = name.indexOf(':');
        int slash = name.indexOf('/');
        return colon >= 0 && (slash < 0 || colon < slash);
    }
}

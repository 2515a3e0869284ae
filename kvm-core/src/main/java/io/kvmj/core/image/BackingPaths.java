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
        Path dir = image.toAbsolutePath().getParent();
        return Optional.of(dir.resolve(b).normalize());
    }

    /**
     * The name to store in an overlay at {@code overlay} so that it points at {@code base}: relative to the
     * overlay's directory when {@code relative}, else absolute.
     */
    public static String nameFor(Path overlay, Path base, boolean relative) {
        Path absBase = base.toAbsolutePath().normalize();
        if (!relative) {
            return absBase.toString();
        }
        Path dir = overlay.toAbsolutePath().normalize().getParent();
        String rel = dir.relativize(absBase).toString();
        // a relative name with a colon before any slash would be read by QEMU as a protocol prefix
        return hasProtocol(rel) ? "./" + rel : rel;
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

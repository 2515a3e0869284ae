package io.kvmj.core.image;

import java.nio.file.Path;
import java.util.List;

/**
 * An image is opened for writing by another process (normally a running QEMU guest): QEMU's OFD lock on
 * the image refused the shared "write" lock. Writing to it or stacking an overlay on it would corrupt it.
 */
public class ImageInUseException extends QemuImgException {
    private static final long serialVersionUID = 1L;

    private final transient Path image;

    public ImageInUseException(Path image, List<String> argv, int exitCode, String stderr) {
        super("image " + image + " is in use read-write by another process (a running guest?)", argv, exitCode, stderr);
        this.image = image;
    }

    /** The locked image. */
    public Path image() {
        return image;
    }

    /** True if qemu-img's stderr reports that QEMU's image lock is held by someone else. */
    static boolean isLockError(String stderr) {
        return stderr != null && stderr.contains("Failed to get") && stderr.contains("lock");
    }
}

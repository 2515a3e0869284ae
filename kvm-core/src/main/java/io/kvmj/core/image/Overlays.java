package io.kvmj.core.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Copy-on-write overlays: a qcow2 image that reads unchanged data from a base image and keeps its own
 * writes. One base can be shared by many overlays (one per guest) as long as nobody writes to the base.
 *
 * <p>Every overlay is created with both the backing file name and its format ({@code -b} and {@code -F}):
 * QEMU 6.1 and later refuse to create an overlay whose backing format would have to be probed. Before
 * creating one, the base is opened through {@code qemu-img info} <em>without</em> {@code -U}, which takes
 * QEMU's shared lock: if a running guest has the base attached read-write, this fails with
 * {@link ImageInUseException} and no overlay is created.
 */
public final class Overlays {
    private final QemuImg qemuImg;

    public Overlays(QemuImg qemuImg) {
        this.qemuImg = Objects.requireNonNull(qemuImg, "qemuImg");
    }

    /**
     * Options for a new overlay.
     *
     * @param relativeBacking store the base as a path relative to the overlay's directory (portable when
     *                        both move together) instead of an absolute path
     * @param size            virtual size of the overlay; null for the base's size; may only grow it
     */
    public record Options(boolean relativeBacking, ByteSize size) {
        /** Relative backing name, same size as the base. */
        public static Options defaults() {
            return new Options(true, null);
        }
    }

    /**
     * Creates {@code overlay} on top of {@code base} and returns qemu-img's view of the new overlay.
     *
     * @throws ImageInUseException      if a running guest has {@code base} open read-write
     * @throws IllegalArgumentException if the base is missing, the overlay exists, or the size would shrink
     */
    public ImageInfo create(Path base, Path overlay, Options options) {
        Path overlayDir = overlay.toAbsolutePath().getParent();
        if (overlayDir == null || !Files.isDirectory(overlayDir)) {
            throw new IllegalArgumentException("directory " + overlayDir + " of the overlay does not exist");
        }
        if (!Files.exists(base)) {
            throw new IllegalArgumentException("base image " + base + " does not exist");
        }
        if (Files.exists(overlay)) {
            throw new IllegalArgumentException("overlay " + overlay + " already exists; refusing to overwrite it");
        }
        ImageInfo baseInfo = assertNotInUse(base);
        ImageFormat baseFormat = ImageFormat.of(baseInfo.format());
        if (options.size() != null && options.size().bytes() < baseInfo.virtualSize()) {
            throw new IllegalArgumentException("overlay size " + options.size() + " is smaller than the base ("
                + baseInfo.virtualByteSize() + ")");
        }
        String backingName = BackingPaths.nameFor(overlay, base, options.relativeBacking());
        ByteSize size = options.size() != null ? options.size() : baseInfo.virtualByteSize();
        qemuImg.create(overlay, CreateOptions.builder(ImageFormat.QCOW2)
            .size(size)
            .backing(backingName, baseFormat)
            .build());
        return qemuImg.info(overlay);
    }

    /**
     * Fails with {@link ImageInUseException} if another process (a running guest) has {@code image} open
     * for writing; otherwise returns the image's info. Use before attaching an image or stacking on it.
     */
    public ImageInfo assertNotInUse(Path image) {
        return qemuImg.info(image, false);
    }
}

package io.kvmj.core.image;

import java.util.Objects;

/**
 * How to create an image with {@code qemu-img create}. Build with {@link #builder(ImageFormat)}.
 *
 * @param format        image format (raw or qcow2 are the common ones)
 * @param size          virtual size; may be null only when a backing file gives the size
 * @param preallocation preallocation mode, null for qemu-img's default
 * @param clusterSize   qcow2 cluster size, null for default (64 KiB)
 * @param lazyRefcounts qcow2 lazy refcounts, null for default (off)
 * @param compat        qcow2 compatibility level: {@code "0.10"} (version 2) or {@code "1.1"} (version 3)
 * @param backingFile   backing file name exactly as it is stored in the image (see {@link BackingPaths})
 * @param backingFormat format of the backing file; required whenever {@code backingFile} is set
 */
public record CreateOptions(
    ImageFormat format,
    ByteSize size,
    Preallocation preallocation,
    ByteSize clusterSize,
    Boolean lazyRefcounts,
    String compat,
    String backingFile,
    ImageFormat backingFormat) {

    /** Validates the combination before qemu-img sees it. */
    public CreateOptions {
        Objects.requireNonNull(format, "format");
        if (size == null && backingFile == null) {
            throw new IllegalArgumentException("a size is required for an image without backing file");
        }
        if (backingFile != null && backingFormat == null) {
            throw new IllegalArgumentException("backing format is required with a backing file (QEMU >= 6.1 refuses to guess it)");
        }
        if (backingFile != null && !format.supportsBacking()) {
            throw new IllegalArgumentException("format " + format + " cannot have a backing file");
        }
        if (format != ImageFormat.QCOW2 && (clusterSize != null || lazyRefcounts != null || compat != null)) {
            throw new IllegalArgumentException("cluster size, lazy refcounts and compat are qcow2 options, not " + format);
        }
        if (preallocation == Preallocation.METADATA && format == ImageFormat.RAW) {
            throw new IllegalArgumentException("preallocation=metadata is not possible for raw images");
        }
        if (compat != null && !compat.equals("0.10") && !compat.equals("1.1")) {
            throw new IllegalArgumentException("qcow2 compat must be 0.10 or 1.1, not " + compat);
        }
        if (Boolean.TRUE.equals(lazyRefcounts) && "0.10".equals(compat)) {
            throw new IllegalArgumentException("lazy refcounts need qcow2 compat 1.1");
        }
    }

    /** A builder for an image of the given format. */
    public static Builder builder(ImageFormat format) {
        return new Builder(format);
    }

    /** Builder for {@link CreateOptions}. */
    public static final class Builder {
        private final ImageFormat format;
        private ByteSize size;
        private Preallocation preallocation;
        private ByteSize clusterSize;
        private Boolean lazyRefcounts;
        private String compat;
        private String backingFile;
        private ImageFormat backingFormat;

        private Builder(ImageFormat format) {
            this.format = format;
        }

        public Builder size(ByteSize v) { this.size = v; return this; }
        public Builder preallocation(Preallocation v) { this.preallocation = v; return this; }
        public Builder clusterSize(ByteSize v) { this.clusterSize = v; return this; }
        public Builder lazyRefcounts(boolean v) { this.lazyRefcounts = v; return this; }
        public Builder compat(String v) { this.compat = v; return this; }

        /** Backing file name as stored in the image, and its format. */
        public Builder backing(String file, ImageFormat fmt) {
            this.backingFile = file;
            this.backingFormat = fmt;
            return this;
        }

        public CreateOptions build() {
            return new CreateOptions(format, size, preallocation, clusterSize, lazyRefcounts, compat, backingFile,
                backingFormat);
        }
    }
}

package io.kvmj.core.image;

import java.util.Objects;

/**
 * How to run {@code qemu-img convert}.
 *
 * @param sourceFormat  format of the source, null to let qemu-img probe it
 * @param targetFormat  output format ({@code -O})
 * @param compress      write compressed clusters ({@code -c}, qcow2 only)
 * @param sparseSize    minimum run of zero bytes turned into a hole ({@code -S}); 0 allocates everything;
 *                      null for qemu-img's default (4 KiB)
 * @param preallocation preallocation of the target, null for default
 * @param clusterSize   qcow2 cluster size of the target, null for default
 */
public record ConvertOptions(
    ImageFormat sourceFormat,
    ImageFormat targetFormat,
    boolean compress,
    ByteSize sparseSize,
    Preallocation preallocation,
    ByteSize clusterSize) {

    /** Validates the combination. */
    public ConvertOptions {
        Objects.requireNonNull(targetFormat, "targetFormat");
        if (compress && targetFormat != ImageFormat.QCOW2 && targetFormat != ImageFormat.QCOW
            && targetFormat != ImageFormat.VMDK) {
            throw new IllegalArgumentException("compression (-c) is not supported for " + targetFormat);
        }
        if (compress && preallocation != null && preallocation != Preallocation.OFF) {
            throw new IllegalArgumentException("compression cannot be combined with preallocation");
        }
    }

    /** Converts to {@code target} with default options. */
    public static ConvertOptions to(ImageFormat target) {
        return new ConvertOptions(null, target, false, null, null, null);
    }

    public ConvertOptions withSourceFormat(ImageFormat f) {
        return new ConvertOptions(f, targetFormat, compress, sparseSize, preallocation, clusterSize);
    }

    public ConvertOptions withCompression(boolean c) {
        return new ConvertOptions(sourceFormat, targetFormat, c, sparseSize, preallocation, clusterSize);
    }

    public ConvertOptions withSparseSize(ByteSize s) {
        return new ConvertOptions(sourceFormat, targetFormat, compress, s, preallocation, clusterSize);
    }

    public ConvertOptions withPreallocation(Preallocation p) {
        return new ConvertOptions(sourceFormat, targetFormat, compress, sparseSize, p, clusterSize);
    }

    public ConvertOptions withClusterSize(ByteSize c) {
        return new ConvertOptions(sourceFormat, targetFormat, compress, sparseSize, preallocation, c);
    }
}

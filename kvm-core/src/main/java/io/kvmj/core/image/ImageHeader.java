package io.kvmj.core.image;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the first bytes of an image say, read in pure Java by {@link ImageHeaderReader} (no subprocess).
 * For raw images only {@code format} and {@code virtualSize} (the file or device length) are meaningful.
 *
 * @param format               {@link ImageFormat#RAW}, {@link ImageFormat#QCOW2} or {@link ImageFormat#QCOW} (v1)
 * @param version              qcow version (1, 2 or 3); 0 for raw
 * @param virtualSize          size the guest sees, in bytes
 * @param clusterBits          log2 of the cluster size; 0 for raw
 * @param backingFile          backing file name as stored (may be relative to the image), or null
 * @param backingFormat        backing format from header extension 0xe2792aca, or null if absent
 * @param encryption           encryption method
 * @param refcountOrder        log2 of the refcount width in bits (4 = 16-bit; always 4 for version 2)
 * @param incompatibleFeatures qcow2 v3 incompatible feature bits (bit 0 dirty, 1 corrupt, 2 external data
 *                             file, 3 compression type, 4 extended L2)
 * @param compatibleFeatures   qcow2 v3 compatible feature bits (bit 0 lazy refcounts)
 * @param autoclearFeatures    qcow2 v3 autoclear feature bits
 * @param compressionType      {@code zlib} or {@code zstd} (qcow2); null for raw
 * @param headerLength         length of the fixed header in bytes
 * @param snapshotCount        number of internal snapshots
 * @param dataFile             external data file name from extension 0x44415441, or null
 */
public record ImageHeader(
    ImageFormat format,
    int version,
    long virtualSize,
    int clusterBits,
    String backingFile,
    String backingFormat,
    EncryptionMethod encryption,
    int refcountOrder,
    long incompatibleFeatures,
    long compatibleFeatures,
    long autoclearFeatures,
    String compressionType,
    int headerLength,
    int snapshotCount,
    String dataFile) {

    /** Cluster size in bytes; 0 for raw. */
    public long clusterSize() {
        return clusterBits == 0 ? 0 : 1L << clusterBits;
    }

    /** Refcount width in bits (qemu-img's {@code refcount-bits}); 0 for raw and qcow v1. */
    public int refcountBits() {
        return format == ImageFormat.QCOW2 ? 1 << refcountOrder : 0;
    }

    /** The image was not closed cleanly with lazy refcounts on; qemu-img check -r all repairs it. */
    public boolean dirty() {
        return (incompatibleFeatures & 1) != 0;
    }

    /** QEMU found corruption and marked the image; it opens read-only until repaired. */
    public boolean corrupt() {
        return (incompatibleFeatures & 2) != 0;
    }

    /** Guest data lives in an external data file. */
    public boolean externalDataFile() {
        return (incompatibleFeatures & 4) != 0;
    }

    /** Subclusters (extended L2 entries) are used. */
    public boolean extendedL2() {
        return (incompatibleFeatures & 16) != 0;
    }

    /** Refcount updates are deferred (compatible feature bit 0). */
    public boolean lazyRefcounts() {
        return (compatibleFeatures & 1) != 0;
    }

    /** True if the image is encrypted. */
    public boolean encrypted() {
        return encryption != EncryptionMethod.NONE;
    }

    /** qemu-img's {@code compat} name: {@code "0.10"} for version 2, {@code "1.1"} for version 3, else null. */
    public String compat() {
        return format != ImageFormat.QCOW2 ? null : version == 2 ? "0.10" : "1.1";
    }

    /** The backing file resolved as QEMU would, relative to the directory of {@code image}. */
    public Optional<Path> resolvedBacking(Path image) {
        return BackingPaths.resolve(image, backingFile);
    }
}

package io.kvmj.core.image.block;

import io.kvmj.core.host.HostEnvironment;
import io.kvmj.core.model.AioMode;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How to attach a disk to QEMU, with the reason, in the guest model's vocabulary. For host block devices: a
 * {@link DiskSource.HostDevice} (the {@code host_device} driver), {@link CacheMode#NONE} (O_DIRECT, no double
 * caching in the host page cache, no data loss on host power failure after the guest flushed) and
 * {@link AioMode#NATIVE} (Linux AIO, which needs O_DIRECT). The argv comes from the one renderer:
 *
 * <pre>{@code
 * DiskSpec disk = device.recommendation().disk("d0").format(DiskFormat.QCOW2).build();
 * QemuCommand cmd = QemuCommandLine.defaults().render(GuestSpec.builder("vm").disk(disk).build());
 * }</pre>
 *
 * @param source what QEMU opens: a {@link DiskSource.HostDevice} or a {@link DiskSource.File}
 * @param cache  {@link CacheMode#NONE} or {@link CacheMode#WRITEBACK}
 * @param aio    {@link AioMode#NATIVE} or {@link AioMode#THREADS}
 * @param reason why
 */
public record DiskRecommendation(DiskSource source, CacheMode cache, AioMode aio, String reason) {

    static DiskRecommendation forBlockDevice(BlockDevice d) {
        return forBlockDevice(d, true);
    }

    /**
     * For a host block device: cache=none + aio=native when it can be opened with O_DIRECT ({@code directIo}),
     * else cache=writethrough + aio=threads (every write still reaches the device before the guest is told it is
     * done; only reads are cached).
     */
    public static DiskRecommendation forBlockDevice(BlockDevice d, boolean directIo) {
        if (!directIo) {
            return new DiskRecommendation(new DiskSource.HostDevice(d.path()), CacheMode.WRITETHROUGH, AioMode.THREADS,
                d.kind() + " " + d.device() + ": O_DIRECT is refused here, so cache=writethrough (writes reach the"
                    + " device before the guest's write completes) with aio=threads");
        }
        return new DiskRecommendation(new DiskSource.HostDevice(d.path()), CacheMode.NONE, AioMode.NATIVE,
            d.kind() + " " + d.device() + ": block devices bypass the host page cache (cache=none) and use"
                + " Linux native AIO (aio=native)");
    }

    /** For an image file, probing whether its filesystem supports O_DIRECT. */
    public static DiskRecommendation forFile(Path file) {
        return forFile(file, supportsDirectIo(file));
    }

    /**
     * True if files in the directory of {@code file} (or {@code file} itself if it exists) can be opened with
     * O_DIRECT, which cache=none needs. tmpfs, for one, refuses it.
     */
    public static boolean supportsDirectIo(Path file) {
        // one O_DIRECT probe for the whole project: the one the argv renderer validates cache modes with
        HostEnvironment host = HostEnvironment.system();
        if (Files.isRegularFile(file)) {
            return host.supportsDirectIo(file);
        }
        Path dir = file.toAbsolutePath().getParent();
        return dir != null && host.supportsDirectIo(dir);
    }

    /** For an image file: cache=none if the filesystem supports O_DIRECT, else writeback. */
    public static DiskRecommendation forFile(Path file, boolean directIoSupported) {
        if (directIoSupported) {
            return new DiskRecommendation(new DiskSource.File(file), CacheMode.NONE, AioMode.THREADS,
                "the filesystem supports O_DIRECT: cache=none avoids double caching; aio=threads because"
                    + " allocating writes to image files can block native AIO");
        }
        return new DiskRecommendation(new DiskSource.File(file), CacheMode.WRITEBACK, AioMode.THREADS,
            "the filesystem does not support O_DIRECT (e.g. tmpfs), so cache=none would fail");
    }

    /** A disk {@code id} with this source, cache and aio; set its format, bus and the rest on the builder. */
    public DiskSpec.Builder disk(String id) {
        return DiskSpec.builder(id, source).cache(cache).aio(aio);
    }
}

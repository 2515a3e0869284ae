package io.kvmj.bench.guestio;

import io.kvmj.core.model.AioMode;
import io.kvmj.core.model.CacheMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One host I/O path of a virtio-blk disk: QEMU's cache mode and AIO engine, and what host fio does to follow the
 * same path on the same file.
 *
 * <p>How QEMU's host side behaves, and the fio flags that copy it (the guest job issues no flushes: O_DIRECT in the
 * guest, no fsync):
 * <ul>
 *   <li>{@code cache.direct=on} (none, directsync): QEMU opens the image O_DIRECT → fio {@code --direct=1};
 *       otherwise buffered through the host page cache → {@code --direct=0}.</li>
 *   <li>no write cache shown to the guest (writethrough, directsync): QEMU flushes the image after every write
 *       (its writethrough emulation) → fio {@code --fdatasync=1}.</li>
 *   <li>writeback, none, unsafe: no host flush unless the guest asks; the guest job never asks, so unsafe and
 *       writeback take the same host path here (unsafe differs only on guest flushes).</li>
 *   <li>{@code aio=threads}: a pool of worker threads doing preadv/pwritev → fio {@code posixaio} (glibc's
 *       thread-based AIO); {@code aio=native}: Linux AIO (needs O_DIRECT) → {@code libaio};
 *       {@code aio=io_uring} → {@code io_uring}. Same queue depth as the guest job.</li>
 *   <li>{@code --invalidate=0}: QEMU never drops the file's page cache, so neither does host fio.</li>
 * </ul>
 *
 * @param cache the disk's cache mode
 * @param aio   the disk's AIO engine
 */
public record IoPath(CacheMode cache, AioMode aio) {

    public IoPath {
        if (aio == AioMode.NATIVE && !cache.direct()) {
            throw new IllegalArgumentException("aio=native needs O_DIRECT (cache=none or directsync), not cache="
                    + cache.qemuName());
        }
    }

    /**
     * The paths measured: every cache mode with {@code aio=threads}, then {@code native} and {@code io_uring} on
     * cache=none; the full profile adds native on directsync and io_uring on every other cache mode.
     */
    public static List<IoPath> all(boolean full) {
        List<IoPath> p = new ArrayList<>();
        for (CacheMode c : List.of(CacheMode.NONE, CacheMode.WRITEBACK, CacheMode.WRITETHROUGH, CacheMode.DIRECTSYNC,
                CacheMode.UNSAFE)) {
            p.add(new IoPath(c, AioMode.THREADS));
        }
        p.add(new IoPath(CacheMode.NONE, AioMode.NATIVE));
        p.add(new IoPath(CacheMode.NONE, AioMode.IO_URING));
        if (full) {
            p.add(new IoPath(CacheMode.DIRECTSYNC, AioMode.NATIVE));
            for (CacheMode c : List.of(CacheMode.WRITEBACK, CacheMode.WRITETHROUGH, CacheMode.DIRECTSYNC,
                    CacheMode.UNSAFE)) {
                p.add(new IoPath(c, AioMode.IO_URING));
            }
        }
        return p;
    }

    /** The virtio serial (at most 20 bytes), e.g. {@code none-threads}; the guest sees /dev/disk/by-id/virtio-SERIAL. */
    public String serial() {
        String c = switch (cache) {
            case WRITETHROUGH -> "wt";
            case DIRECTSYNC -> "ds";
            case WRITEBACK -> "wb";
            default -> cache.qemuName();
        };
        String a = switch (aio) {
            case THREADS -> "threads";
            case NATIVE -> "native";
            case IO_URING -> "uring";
        };
        return c + "-" + a;
    }

    /** The guest's path to the disk. */
    public String guestDevice() {
        return "/dev/disk/by-id/virtio-" + serial();
    }

    /** Human label, e.g. {@code cache=none aio=threads}. */
    public String label() {
        return "cache=" + cache.qemuName() + " aio=" + aio.qemuName();
    }

    /** fio's ioengine following QEMU's AIO engine. */
    public String hostEngine() {
        return switch (aio) {
            case THREADS -> "posixaio";
            case NATIVE -> "libaio";
            case IO_URING -> "io_uring";
        };
    }

    /** The host fio flags that follow this path (see the class comment). */
    public List<String> hostFlags() {
        return List.of("--ioengine=" + hostEngine(), "--direct=" + (cache.direct() ? 1 : 0),
                "--fdatasync=" + (cache.writeCache() ? 0 : 1), "--invalidate=0");
    }

    /** The host flags spelled out for the report. */
    public String hostDescription() {
        return String.join(" ", hostFlags()).replace("--", "").toLowerCase(Locale.ROOT);
    }
}

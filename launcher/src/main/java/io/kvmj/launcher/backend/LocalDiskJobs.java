package io.kvmj.launcher.backend;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.QemuImg;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.launcher.storage.AttachedDisk;
import io.kvmj.launcher.storage.BlockJobException;
import io.kvmj.launcher.storage.DiskHotplug;
import io.kvmj.launcher.storage.DriveInfo;
import io.kvmj.launcher.storage.Drives;
import io.kvmj.launcher.storage.HotplugException;
import io.kvmj.launcher.storage.ImageLayer;
import io.kvmj.launcher.storage.LiveDisks;
import io.kvmj.launcher.storage.LiveStorage;
import io.kvmj.launcher.storage.Quiesce;
import io.kvmj.qga.QgaClient;
import io.kvmj.qga.QgaClientOptions;
import io.kvmj.qmp.QmpMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@link LocalBackend}'s disk operations, on the storage classes {@code kvmj disk list|snapshot|commit|resize|attach|
 * detach|backup} use: {@link Drives} (query-block), {@link LiveStorage} (blockdev-snapshot-sync, block-commit with
 * pivot, block_resize, blockdev-backup), {@link DiskHotplug} (blockdev-add and device_add, device_del), {@link Quiesce}
 * (the guest agent's freeze and thaw) and {@link LiveDisks#record} (the guest's recorded spec follows the new active
 * image, for save and migrate).
 *
 * <pre>{@code
 * BackendDisk after = LocalDiskJobs.snapshot("vm1", "disk0", Path.of("/vm/snap1.qcow2"), false);
 * }</pre>
 */
final class LocalDiskJobs {
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final Duration AGENT = Duration.ofSeconds(60);

    private LocalDiskJobs() {
    }

    static List<BackendDisk> list(String name) {
        try (QmpMonitor qmp = GuestRegistry.connect(GuestRegistry.require(name), CONNECT)) {
            return Drives.query(qmp).stream().map(LocalDiskJobs::of).toList();
        }
    }

    static BackendDisk of(DriveInfo d) {
        return new BackendDisk(d.id(), d.readOnly(), d.chain().stream()
                .map(l -> new BackendDisk.Layer(l.file(), l.format(), l.node())).toList());
    }

    static BackendDisk snapshot(String name, String drive, Path overlay, boolean quiesce) {
        GuestInfo guest = GuestRegistry.require(name);
        Path file = overlay.toAbsolutePath().normalize();
        try (QmpMonitor qmp = GuestRegistry.connect(guest, CONNECT)) {
            DriveInfo d = inserted(resolve(qmp, name, drive));
            if (Files.exists(file)) {
                throw new GuestException(file + " already exists; refusing to overwrite it");
            }
            String node = Drives.newNodeName(d.id(), Drives.nodeNames(qmp));
            LiveStorage storage = new LiveStorage(qmp, new QemuImg());
            if (quiesce) {
                Path sock = RuntimeDir.locate(name).agentSocket();
                try (QgaClient agent = QgaClient.open(sock, QgaClientOptions.builder().commandTimeout(AGENT).build())) {
                    Quiesce.around(agent, () -> {
                        storage.externalSnapshot(d.activeNode(), file, node);
                        return null;
                    });
                } catch (io.kvmj.qga.QgaException e) {
                    throw new GuestException("quiesce: the guest agent of '" + name + "' is not reachable ("
                            + e.getMessage() + "); no snapshot was taken", e);
                } catch (Quiesce.QuiesceException e) {
                    throw new GuestException("quiesce: " + e.getMessage().replace("NAME", name), e);
                }
            } else {
                storage.externalSnapshot(d.activeNode(), file, node);
            }
            LiveDisks.record(guest.runtimeDir(), qmp); // migrate, save, list see the new active image
            return of(Drives.resolve(Drives.query(qmp), d.id()));
        }
    }

    static BackendDisk commit(String name, String drive, String base) throws InterruptedException {
        GuestInfo guest = GuestRegistry.require(name);
        try (QmpMonitor qmp = GuestRegistry.connect(guest, CONNECT)) {
            DriveInfo d = inserted(resolve(qmp, name, drive));
            ImageLayer into = base(d, base);
            LiveStorage storage = new LiveStorage(qmp, new QemuImg());
            cancellable(storage, "kvmj-disk-commit-" + name,
                    () -> storage.commit(d.activeNode(), d.activeNode(), into.node(), p -> { }));
            LiveDisks.record(guest.runtimeDir(), qmp);
            return of(Drives.resolve(Drives.query(qmp), d.id()));
        }
    }

    static BackendDisk backup(String name, String drive, Path target, ImageFormat format, Duration timeout)
            throws InterruptedException {
        Path file = target.toAbsolutePath().normalize();
        try (QmpMonitor qmp = GuestRegistry.connect(GuestRegistry.require(name), CONNECT)) {
            DriveInfo d = inserted(resolve(qmp, name, drive));
            if (Files.exists(file)) {
                throw new IllegalArgumentException(file + " already exists; refusing to overwrite it");
            }
            LiveStorage storage = new LiveStorage(qmp, new QemuImg()).jobTimeout(timeout);
            try {
                cancellable(storage, "kvmj-disk-backup-" + name,
                        () -> storage.backup(d.activeNode(), d.virtualSize(), file, format, p -> { }));
            } catch (BlockJobException e) {
                deletePartial(file);
                throw new GuestException("guest '" + name + "': " + e.getMessage(), e);
            } catch (InterruptedException | RuntimeException e) {
                deletePartial(file);
                throw e;
            }
            return of(d);
        }
    }

    private static void deletePartial(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException ignored) {
            // the job's failure is the error to report
        }
    }

    /**
     * Runs {@code job} on another thread, so that an interrupt of this one cancels it ({@link
     * LiveStorage#requestCancel}, as Ctrl-C does in the CLI) and waits until it has ended.
     */
    private static void cancellable(LiveStorage storage, String thread, Runnable job) throws InterruptedException {
        CompletableFuture<Void> f = CompletableFuture.runAsync(job, r -> {
            Thread t = new Thread(r, thread);
            t.setDaemon(true);
            t.start();
        });
        try {
            f.get();
        } catch (InterruptedException e) {
            storage.requestCancel();
            try {
                f.join();
            } catch (RuntimeException ended) {
                // cancelled (JobCancelledException) or failed: either way the job is over
            }
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new GuestException(String.valueOf(e.getCause()));
        }
    }

    static BackendResize resize(String name, String drive, long size, boolean shrink) {
        try (QmpMonitor qmp = GuestRegistry.connect(GuestRegistry.require(name), CONNECT)) {
            DriveInfo d = inserted(resolve(qmp, name, drive));
            long before = d.virtualSize();
            BackendResize.refuseShrink(d.id(), before, size, shrink);
            if (size != before) {
                new LiveStorage(qmp, new QemuImg()).resize(d.activeNode(), ByteSize.ofBytes(size));
            }
            return new BackendResize(d.id(), before, Drives.resolve(Drives.query(qmp), d.id()).virtualSize());
        } catch (BlockJobException e) {
            throw new GuestException("guest '" + name + "': " + e.getMessage(), e);
        }
    }

    static BackendDisk attach(String name, DiskSpec disk) {
        GuestInfo guest = GuestRegistry.require(name);
        try (QmpMonitor qmp = GuestRegistry.connect(guest, CONNECT)) {
            AttachedDisk a = new DiskHotplug(qmp, guest.runtimeDir()).attachNext(disk::withId);
            return of(Drives.resolve(Drives.query(qmp), a.drive()));
        } catch (InvalidSpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (HotplugException e) {
            throw new GuestException("guest '" + name + "': " + e.getMessage(), e);
        }
    }

    static void detach(String name, String drive, Duration timeout) {
        GuestInfo guest = GuestRegistry.require(name);
        try (QmpMonitor qmp = GuestRegistry.connect(guest, CONNECT)) {
            new DiskHotplug(qmp, guest.runtimeDir()).detach(drive, timeout);
        } catch (HotplugException | io.kvmj.launcher.storage.UnknownDriveException e) {
            throw new GuestException("guest '" + name + "': " + e.getMessage(), e);
        }
    }

    /** The layer {@code base} names (node name or file; null: the one directly below the active layer). */
    private static ImageLayer base(DriveInfo d, String base) {
        List<ImageLayer> chain = d.chain();
        if (chain.size() < 2) {
            throw new GuestException("drive '" + d.id() + "' has no backing image (" + d.file()
                    + " stands alone): nothing to commit");
        }
        ImageLayer into = null;
        if (base == null) {
            into = chain.get(1);
        } else {
            String asPath = base.contains("/") ? Path.of(base).toAbsolutePath().normalize().toString() : null;
            for (ImageLayer l : chain.subList(1, chain.size())) {
                if (base.equals(l.node()) || base.equals(l.file()) || (asPath != null && asPath.equals(l.file()))) {
                    into = l;
                }
            }
            if (into == null) {
                throw new IllegalArgumentException(base + " is not a backing image of drive '" + d.id()
                        + "'; backing images: " + String.join(", ", chain.subList(1, chain.size()).stream()
                        .map(ImageLayer::file).toList()));
            }
        }
        if (into.node() == null) {
            throw new GuestException("QEMU lists no block node for backing image " + into.file());
        }
        return into;
    }

    private static DriveInfo resolve(QmpMonitor qmp, String name, String drive) {
        try {
            return Drives.resolve(Drives.query(qmp), drive);
        } catch (io.kvmj.launcher.storage.UnknownDriveException e) {
            throw new GuestException("guest '" + name + "': " + e.getMessage(), e);
        }
    }

    private static DriveInfo inserted(DriveInfo d) {
        if (!d.inserted()) {
            throw new GuestException("drive '" + d.id() + "' is empty (no medium inserted)");
        }
        return d;
    }
}

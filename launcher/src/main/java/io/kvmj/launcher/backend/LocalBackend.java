package io.kvmj.launcher.backend;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.launcher.GuestStatus;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.ShutdownResult;
import io.kvmj.launcher.SpecFile;
import io.kvmj.qga.QgaClient;
import io.kvmj.qga.QgaClientOptions;
import io.kvmj.launcher.migrate.MigrationOptions;
import io.kvmj.launcher.migrate.MigrationSource;
import io.kvmj.launcher.migrate.SaveRestore;
import io.kvmj.qmp.QmpEventListener;
import io.kvmj.qmp.QmpMonitor;
import io.kvmj.qmp.QmpSubscription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link GuestBackend} over this host's kvmj: {@link Launcher} (detached), {@link GuestRegistry} and the runtime
 * directories, exactly as the {@code kvmj} commands without {@code --connect} use them.
 */
final class LocalBackend implements GuestBackend {
    private static final Duration ASK = Duration.ofSeconds(2);
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final Duration SAVE = Duration.ofHours(2);
    private static final Duration RESTORE = Duration.ofSeconds(600);

    @Override
    public String uri() {
        return "local";
    }

    @Override
    public BackendGuest start(GuestSpec spec, Consumer<String> notes) {
        Guest g = Launcher.create(LaunchOptions.defaults().withDetached(true)).launch(spec);
        try {
            return require(g.name());
        } finally {
            g.release(); // the guest keeps running after this JVM
        }
    }

    @Override
    public List<BackendGuest> list() {
        List<BackendGuest> out = new ArrayList<>();
        for (GuestInfo g : GuestRegistry.list()) {
            out.add(of(g));
        }
        return out;
    }

    private static BackendGuest of(GuestInfo g) {
        GuestStatus s = GuestStatus.of(g, ASK);
        return new BackendGuest(g.name(), s.state(), s.vcpus(), s.memoryMiB(), g.pid(), null, null, false);
    }

    @Override
    public BackendGuest require(String name) {
        return of(GuestRegistry.require(name));
    }

    @Override
    public JsonNode qmp(String name, String command, JsonNode arguments, Duration timeout) {
        try (QmpMonitor m = GuestRegistry.connect(GuestRegistry.require(name), timeout)) {
            return m.call(command, arguments, timeout);
        }
    }

    @Override
    public JsonNode agent(String name, String command, JsonNode arguments, Duration timeout) {
        Path sock = GuestRegistry.require(name).runtimeDir().resolve("qga.sock");
        if (!Files.exists(sock)) {
            throw new GuestException("guest '" + name + "' has no guest-agent channel");
        }
        try (QgaClient qga = QgaClient.open(sock, QgaClientOptions.builder().commandTimeout(timeout).build())) {
            return qga.call(command, arguments, timeout);
        }
    }

    @Override
    public ShutdownResult stop(String name, Duration timeout, boolean force) {
        return GuestRegistry.stop(name, timeout, force);
    }

    @Override
    public Optional<GuestSpec> spec(String name) {
        return SpecFile.read(GuestRegistry.require(name).runtimeDir());
    }

    @Override
    public QmpSubscription events(String name, QmpEventListener listener) {
        QmpMonitor m = GuestRegistry.connectEvents(GuestRegistry.require(name), CONNECT);
        try {
            m.subscribe(listener);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return m::close;
    }

    @Override
    public BackendConsole console(String name, Consumer<byte[]> output) {
        return LocalConsole.open(GuestRegistry.require(name), output);
    }

    /** {@inheritDoc} Here: {@link SaveRestore#save} into a kvmj save file (the guest's spec, then its state). */
    @Override
    public void save(String name, Path file) {
        GuestInfo info = GuestRegistry.find(name).filter(GuestInfo::alive)
                .orElseThrow(() -> new GuestException("no running guest named '" + name + "'"));
        GuestSpec spec = SpecFile.readWithSecrets(info.runtimeDir()).orElseThrow(() -> new GuestException("guest '"
                + name + "' has no recorded spec (" + SpecFile.NAME + "; launched from raw QEMU arguments?): a save "
                + "could not be restored"));
        try (QmpMonitor qmp = GuestRegistry.connect(info, CONNECT)) {
            SaveRestore.save(MigrationSource.registered(name, qmp), info.runtimeDir(), spec, file.toAbsolutePath(),
                    MigrationOptions.defaults(), p -> { }).await(SAVE);
        }
    }

    /** {@inheritDoc} Here: {@link SaveRestore#restore}, detached, as {@code kvmj restore FILE}. */
    @Override
    public BackendGuest restore(Path file) {
        Guest g = SaveRestore.restore(Launcher.create(LaunchOptions.defaults().withDetached(true)), file, null, RESTORE);
        try {
            return require(g.name());
        } finally {
            g.release(); // the guest keeps running after this JVM
        }
    }

    @Override
    public List<BackendDisk> disks(String name) {
        return LocalDiskJobs.list(name);
    }

    /** {@inheritDoc} Here: {@code blockdev-snapshot-sync}; the new layer's node is {@code DRIVE-snapN}. */
    @Override
    public BackendDisk diskSnapshot(String name, String drive, Path overlay, boolean quiesce) {
        return LocalDiskJobs.snapshot(name, drive, overlay, quiesce);
    }

    /** {@inheritDoc} Here: an active {@code block-commit}, completed (pivoted) once ready; {@code base} may be a node. */
    @Override
    public BackendDisk diskCommit(String name, String drive, String base) throws InterruptedException {
        return LocalDiskJobs.commit(name, drive, base);
    }

    /** {@inheritDoc} Here: {@code block_resize} of the drive's active node, as {@code kvmj disk resize}. */
    @Override
    public BackendResize diskResize(String name, String drive, long size, boolean shrink) {
        return LocalDiskJobs.resize(name, drive, size, shrink);
    }

    /** {@inheritDoc} Here: {@link io.kvmj.launcher.storage.DiskHotplug#attachNext}, as {@code kvmj disk attach}. */
    @Override
    public BackendDisk diskAttach(String name, DiskSpec disk) {
        return LocalDiskJobs.attach(name, disk);
    }

    /** {@inheritDoc} Here: {@link io.kvmj.launcher.storage.DiskHotplug#detach}, as {@code kvmj disk detach}. */
    @Override
    public void diskDetach(String name, String drive, Duration timeout) {
        LocalDiskJobs.detach(name, drive, timeout);
    }

    /** {@inheritDoc} Here: {@code blockdev-backup sync=full} into a qemu-img-created image, as {@code kvmj disk backup}. */
    @Override
    public BackendDisk diskBackup(String name, String drive, Path target, io.kvmj.core.image.ImageFormat format,
                                  Duration timeout) throws InterruptedException {
        return LocalDiskJobs.backup(name, drive, target, format, timeout);
    }

    @Override
    public void close() {
        // nothing held
    }
}

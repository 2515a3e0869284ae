package io.kvmj.launcher.storage;

import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.launcher.SpecFile;
import io.kvmj.qmp.QmpMonitor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A running guest's spec with its disks as QEMU runs them now. An external snapshot ({@code kvmj disk snapshot},
 * or {@code blockdev-snapshot-sync} sent by hand) or an active commit moves a drive onto another image file; a
 * QEMU started from the spec as launched would open the old file, which is stale (or the read-only backing of the
 * overlay the guest writes to). Everything that starts a QEMU for a running guest (same-host migration, save,
 * the storage copy) takes its disks from here, and {@code kvmj disk snapshot|commit} record the result.
 *
 * <pre>{@code
 * GuestSpec now = LiveDisks.current(spec, Drives.query(guest.qmp()));
 * // now.disks(): root on /vm/snap1.qcow2 (qcow2) after a snapshot, the rest as launched
 * }</pre>
 *
 * <p>Only image-file disks follow QEMU (a host block device or an NBD export stays as given). A drive whose active
 * image has a format kvmj does not know, or a spec disk QEMU has no drive for, is refused rather than guessed:
 * {@link IllegalStateException} naming the disk.
 */
public final class LiveDisks {
    private LiveDisks() {}

    /** {@code spec} with each image-file disk on the file and format of its drive's active layer in {@code drives}. */
    public static GuestSpec current(GuestSpec spec, List<DriveInfo> drives) {
        List<DiskSpec> disks = new ArrayList<>();
        boolean changed = false;
        for (DiskSpec d : spec.disks()) {
            DiskSpec now = current(spec.name(), d, drives);
            changed |= now != d;
            disks.add(now);
        }
        if (!changed) {
            return spec;
        }
        GuestSpec.Builder b = spec.toBuilder().clearDisks();
        disks.forEach(b::disk);
        return b.build();
    }

    /** {@link #current(GuestSpec, List)} with the drives queried from {@code qmp}. */
    public static GuestSpec current(GuestSpec spec, QmpMonitor qmp) {
        return current(spec, Drives.query(qmp));
    }

    /**
     * Rewrites {@code runtimeDir/spec.json} with the disks QEMU runs now, after kvmj moved a drive onto another
     * image ({@code kvmj disk snapshot}, an active {@code kvmj disk commit}); does nothing for a guest without a spec.
     * The drive change has happened already, so a spec kvmj cannot bring up to date (a disk removed or moved by raw
     * QMP) is not an error of the operation: the file is left as it was and the reason returned, for a warning.
     *
     * <pre>{@code
     * LiveDisks.record(guest.runtimeDir(), qmp).ifPresent(why -> err.println("warning: " + why));
     * }</pre>
     *
     * @return empty when spec.json matches QEMU now; else why it could not be updated
     */
    public static Optional<String> record(Path runtimeDir, QmpMonitor qmp) {
        return record(runtimeDir, Drives.query(qmp));
    }

    /** {@link #record(Path, QmpMonitor)} with the drives as QEMU listed them. */
    static Optional<String> record(Path runtimeDir, List<DriveInfo> drives) {
        // under the record lock: a concurrent kvmj disk attach/detach rewrites spec.json too
        String[] problem = new String[1];
        io.kvmj.launcher.process.RecordLock.locked(runtimeDir, () -> {
            Optional<GuestSpec> spec = SpecFile.read(runtimeDir);
            if (spec.isPresent()) {
                try {
                    GuestSpec now = current(spec.get(), drives);
                    if (now != spec.get()) {
                        SpecFile.write(runtimeDir, now);
                    }
                } catch (IllegalStateException e) {
                    problem[0] = e.getMessage() + "; spec.json not updated (a migrate or save of this guest would "
                            + "use the disks it names)";
                }
            }
        });
        return Optional.ofNullable(problem[0]);
    }

    private static DiskSpec current(String guest, DiskSpec d, List<DriveInfo> drives) {
        if (!(d.source() instanceof DiskSource.File f)) {
            return d;
        }
        Optional<DriveInfo> drive = drives.stream().filter(x -> d.id().equals(x.id())).findFirst();
        if (drive.isEmpty() || !drive.get().inserted()) {
            throw new IllegalStateException("guest '" + guest + "': QEMU has no drive for disk '" + d.id()
                    + "' of its spec (removed behind kvmj's back?)");
        }
        DriveInfo now = drive.get();
        Path file = Path.of(now.file());
        if (file.toAbsolutePath().normalize().equals(f.path().toAbsolutePath().normalize())) {
            return d;
        }
        DiskFormat format = DiskFormat.ofDriver(now.format()).orElseThrow(() -> new IllegalStateException("guest '"
                + guest + "': disk '" + d.id() + "' now runs on " + file + " in format " + now.format()
                + ", which kvmj cannot describe"));
        return d.withImage(file, format);
    }
}

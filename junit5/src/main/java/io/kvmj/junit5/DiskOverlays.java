package io.kvmj.junit5;

import io.kvmj.core.image.Overlays;
import io.kvmj.core.image.QemuImg;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import java.nio.file.Path;

/**
 * Puts a fresh qcow2 overlay (backing file: the original, absolute path, format given) in front of every writable
 * file disk of a spec, so the guest writes into a private work directory and never changes the image a test
 * names. Read-only disks are left as they are.
 */
public final class DiskOverlays {
    private DiskOverlays() {}

    /**
     * {@code spec} with each writable file disk replaced by {@code workDir/<disk id>.overlay.qcow2}.
     *
     * @throws io.kvmj.core.image.ImageInUseException if a running guest has one of the images open read-write
     */
    public static GuestSpec apply(GuestSpec spec, Path workDir) {
        if (spec.disks().stream().noneMatch(DiskOverlays::needsOverlay)) {
            return spec;
        }
        Overlays overlays = new Overlays(new QemuImg());
        GuestSpec.Builder b = spec.toBuilder().clearDisks();
        for (DiskSpec d : spec.disks()) {
            if (needsOverlay(d)) {
                Path base = ((DiskSource.File) d.source()).path().toAbsolutePath();
                Path overlay = workDir.resolve(d.id() + ".overlay.qcow2");
                overlays.create(base, overlay, new Overlays.Options(false, null));
                b.disk(DiskSpec.builder(d.id(), DiskSource.file(overlay)).format(DiskFormat.QCOW2).build()
                        .toBuilder().bus(d.bus()).cache(d.cache()).aio(d.aio()).serial(d.serial())
                        .bootIndex(d.bootIndex()).iothread(d.iothread()).discard(d.discard())
                        .detectZeroes(d.detectZeroes()).blockSizes(d.logicalBlockSize(), d.physicalBlockSize())
                        .raidOrZfsInGuest(d.raidOrZfsInGuest()).build());
            } else {
                b.disk(d);
            }
        }
        return b.build();
    }

    static boolean needsOverlay(DiskSpec d) {
        return d.source() instanceof DiskSource.File && !d.readOnly() && !d.format().readOnlyOnly();
    }
}

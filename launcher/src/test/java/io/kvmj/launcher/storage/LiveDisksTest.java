package io.kvmj.launcher.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import io.kvmj.launcher.SpecFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/**
 * {@link LiveDisks#current} on the drives of {@link DrivesTest} (QEMU 7.2's replies after a snapshot of disk0 onto
 * {@code /d/ov.qcow2}); against a running guest in {@code DebianGuestIT} (migration after a quiesced snapshot).
 */
class LiveDisksTest {
    private static GuestSpec launched(DiskSpec... extra) {
        GuestSpec.Builder b = GuestSpec.builder("vm1")
            .disk(DiskSpec.file("disk0", Path.of("/d/base.qcow2")).format(DiskFormat.QCOW2).cache(CacheMode.NONE)
                .serial("S0").build())
            .disk(DiskSpec.file("disk1", Path.of("/d/b2.raw")).bus(DiskBus.VIRTIO_SCSI).readOnly(true).build());
        for (DiskSpec d : extra) {
            b.disk(d);
        }
        return b.build();
    }

    @Test
    void aSnapshottedDiskMovesToItsOverlayAndKeepsItsSettings() throws Exception {
        GuestSpec now = LiveDisks.current(launched(), DrivesTest.drives());
        DiskSpec d0 = now.disks().get(0);
        assertEquals(new DiskSource.File(Path.of("/d/ov.qcow2")), d0.source());
        assertEquals(DiskFormat.QCOW2, d0.format());
        assertEquals(CacheMode.NONE, d0.cache());
        assertEquals("S0", d0.serial());
        assertEquals(launched().disks().get(1), now.disks().get(1), "disk1 runs on the file it was launched with");
    }

    @Test
    void aSpecThatMatchesIsReturnedAsItIs() throws Exception {
        GuestSpec same = launched().toBuilder().clearDisks()
            .disk(DiskSpec.file("disk0", Path.of("/d/ov.qcow2")).format(DiskFormat.QCOW2).build())
            .disk(DiskSpec.file("disk1", Path.of("/d/b2.raw")).bus(DiskBus.VIRTIO_SCSI).readOnly(true).build()).build();
        assertSame(same, LiveDisks.current(same, DrivesTest.drives()));
    }

    @Test
    void aDiskQemuDoesNotHaveIsRefusedNotGuessed() throws Exception {
        GuestSpec extra = launched(DiskSpec.file("disk9", Path.of("/d/gone.raw")).build());
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> LiveDisks.current(extra, DrivesTest.drives()));
        assertTrue(e.getMessage().contains("no drive for disk 'disk9'"), e.getMessage());
    }

    @Test
    void recordUpdatesSpecJsonOrLeavesItWithAReason(@TempDir Path dir) throws Exception {
        SpecFile.write(dir, launched());
        assertEquals(Optional.empty(), LiveDisks.record(dir, DrivesTest.drives()));
        assertEquals(LiveDisks.current(launched(), DrivesTest.drives()), SpecFile.read(dir).orElseThrow(),
            "spec.json names the overlay now");

        GuestSpec extra = launched(DiskSpec.file("disk9", Path.of("/d/gone.raw")).build());
        SpecFile.write(dir, extra);
        Optional<String> why = LiveDisks.record(dir, DrivesTest.drives());
        assertTrue(why.isPresent() && why.get().contains("no drive for disk 'disk9'")
            && why.get().contains("spec.json not updated"), why.toString());
        assertEquals(extra, SpecFile.read(dir).orElseThrow(), "left as it was");
    }

    @Test
    void aHostDeviceOrNbdDiskIsLeftAsGiven() throws Exception {
        DiskSpec nbd = DiskSpec.builder("disk0", DiskSource.nbdTcp("10.0.0.1", 10809, "root")).build();
        GuestSpec spec = GuestSpec.builder("vm2").disk(nbd).build();
        assertSame(spec, LiveDisks.current(spec, List.of()));
    }
}

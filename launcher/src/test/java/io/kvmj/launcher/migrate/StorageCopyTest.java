package io.kvmj.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code --copy-storage} copies and where, decided before anything starts. */
class StorageCopyTest {
    @TempDir
    Path tmp;

    private GuestSpec spec(DiskSpec... disks) {
        GuestSpec.Builder b = GuestSpec.builder("vm1");
        for (DiskSpec d : disks) {
            b.disk(d);
        }
        return b.build();
    }

    @Test
    void writableFileDisksGetADerivedNameNextToTheSource() throws Exception {
        Path root = Files.createFile(tmp.resolve("root.qcow2"));
        Path iso = Files.createFile(tmp.resolve("base.img"));
        Path data = Files.createFile(tmp.resolve("data"));
        GuestSpec s = spec(DiskSpec.file("root", root).format(DiskFormat.QCOW2).cache(CacheMode.NONE).build(),
                DiskSpec.file("ro", iso).readOnly(true).build(), DiskSpec.file("data", data).build());
        List<StorageCopy.Target> t = StorageCopy.plan(s, "vm1-b", Map.of());
        assertEquals(List.of("root", "data"), t.stream().map(x -> x.disk().id()).toList(), "read-only disks stay shared");
        assertEquals(tmp.resolve("root.vm1-b.qcow2"), t.get(0).target());
        assertEquals(tmp.resolve("data.vm1-b"), t.get(1).target());

        GuestSpec dest = StorageCopy.destinationSpec(s, t);
        assertEquals(tmp.resolve("root.vm1-b.qcow2"), ((DiskSource.File) dest.disks().get(0).source()).path());
        assertEquals(CacheMode.NONE, dest.disks().get(0).cache(), "tuning kept");
        assertEquals(DiskFormat.QCOW2, dest.disks().get(0).format());
        assertEquals(iso, ((DiskSource.File) dest.disks().get(1).source()).path());
    }

    @Test
    void givenTargetsAreUsedAndNothingIsOverwritten() throws Exception {
        Path root = Files.createFile(tmp.resolve("root.qcow2"));
        GuestSpec s = spec(DiskSpec.file("root", root).format(DiskFormat.QCOW2).build());
        assertEquals(tmp.resolve("new.qcow2"),
                StorageCopy.plan(s, "b", Map.of("root", tmp.resolve("new.qcow2"))).get(0).target());
        Files.createFile(tmp.resolve("root.b.qcow2"));
        MigrationRefusedException e = assertThrows(MigrationRefusedException.class,
                () -> StorageCopy.plan(s, "b", Map.of()));
        assertTrue(e.getMessage().contains("does not overwrite"), e.getMessage());
        MigrationRefusedException d = assertThrows(MigrationRefusedException.class,
                () -> StorageCopy.plan(s, "c", Map.of("root", tmp.resolve("no/such/dir/x.qcow2"))));
        assertTrue(d.getMessage().contains("does not exist"), d.getMessage());
        MigrationRefusedException u = assertThrows(MigrationRefusedException.class,
                () -> StorageCopy.plan(s, "c", Map.of("vdz", tmp.resolve("x.qcow2"))));
        assertTrue(u.getMessage().contains("no disk 'vdz'"), u.getMessage());
    }

    @Test
    void networkAndDeviceDisksAndDisklessGuestsAreRefused() {
        GuestSpec nbd = spec(DiskSpec.builder("n", DiskSource.nbdTcp("h", 10809, "e")).build());
        assertTrue(assertThrows(MigrationRefusedException.class, () -> StorageCopy.plan(nbd, "b", Map.of()))
                .getMessage().contains("NBD export"));
        assertTrue(assertThrows(MigrationRefusedException.class, () -> StorageCopy.plan(spec(), "b", Map.of()))
                .getMessage().contains("no writable image-file disk"));
    }

    @Test
    void optionsRefusePostcopyWithCopyStorageAndTargetsWithoutIt() {
        MigrationOptions o = MigrationOptions.defaults().withPostcopy(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> o.withCopyStorage(true, Map.of()));
        assertTrue(e.getMessage().contains("--postcopy"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> MigrationOptions.defaults().withCopyStorage(false, Map.of("d", Path.of("/x"))));
        assertEquals(Duration.ofMinutes(30), MigrationOptions.defaults().withCopyStorage(true, Map.of()).timeout());
    }
}

package io.kvmj.core.image.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.AioMode;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.qemu.QemuCommandLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Classification on a fake sysfs tree laid out like the kernel's. */
class BlockDevicesTest {
    @TempDir
    Path sys;

    private void device(String majMin, String name, Map<String, String> files) throws IOException {
        Path real = sys.resolve("devices/virtual/block/" + name);
        Files.createDirectories(real);
        Files.writeString(real.resolve("uevent"), "MAJOR=" + majMin.split(":")[0] + "\nDEVNAME=" + name + "\nDEVTYPE=disk\n");
        Files.writeString(real.resolve("size"), "2097152\n");
        Files.writeString(real.resolve("ro"), "0\n");
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path f = real.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue() + "\n");
        }
        Files.createDirectories(sys.resolve("dev/block"));
        Files.createSymbolicLink(sys.resolve("dev/block/" + majMin), real);
    }

    private BlockDevice describe(String given, String dev, int major, int minor) {
        BlockDevices b = new BlockDevices(sys, p -> 1L << 30);
        return b.describe(Path.of(given), Path.of(dev), major, minor);
    }

    @Test
    void lvmLogicalVolumeWithDashesInNames() throws IOException {
        device("253:3", "dm-3", Map.of("dm/uuid", "LVM-abcdefabcdef", "dm/name", "vg--data-guest--root",
            "queue/logical_block_size", "4096"));
        BlockDevice d = describe("/dev/vg-data/guest-root", "/dev/dm-3", 253, 3);
        assertEquals(BlockDeviceKind.LVM_LOGICAL_VOLUME, d.kind());
        assertEquals("vg-data", d.volumeGroup());
        assertEquals("guest-root", d.logicalVolume());
        assertEquals("dm-3", d.name());
        assertEquals(4096, d.logicalBlockSize());
        assertEquals(1L << 30, d.sizeBytes());
        assertEquals(1L << 30, new BlockDevices(sys, p -> 0).sysfsSize(253, 3));
        DiskRecommendation r = d.recommendation();
        assertEquals(new DiskSource.HostDevice(Path.of("/dev/vg-data/guest-root")), r.source());
        assertEquals(CacheMode.NONE, r.cache());
        assertEquals(AioMode.NATIVE, r.aio());
    }

    @Test
    void dmCryptIsDeviceMapperNotLvm() throws IOException {
        device("253:0", "dm-0", Map.of("dm/uuid", "CRYPT-LUKS2-1234-cryptroot", "dm/name", "cryptroot"));
        BlockDevice d = describe("/dev/mapper/cryptroot", "/dev/dm-0", 253, 0);
        assertEquals(BlockDeviceKind.DEVICE_MAPPER, d.kind());
        assertNull(d.volumeGroup());
        assertEquals("cryptroot", d.dmName());
    }

    @Test
    void zvolLoopPartitionDiskAndStableNames() throws IOException {
        device("230:16", "zd16", Map.of());
        assertEquals(BlockDeviceKind.ZFS_ZVOL, describe("/dev/zvol/tank/vm1", "/dev/zd16", 230, 16).kind());
        device("7:2", "loop2", Map.of("loop/backing_file", "/srv/disk.img", "ro", "1"));
        BlockDevice loop = describe("/dev/loop2", "/dev/loop2", 7, 2);
        assertEquals(BlockDeviceKind.LOOP, loop.kind());
        assertEquals("/srv/disk.img", loop.loopBackingFile());
        assertTrue(loop.readOnly());
        device("8:1", "sda1", Map.of("partition", "1"));
        assertEquals(BlockDeviceKind.PARTITION, describe("/dev/sda1", "/dev/sda1", 8, 1).kind());
        device("259:0", "nvme0n1", Map.of("queue/rotational", "0"));
        BlockDevice nvme = describe("/dev/disk/by-id/nvme-Samsung_SSD_980_S1", "/dev/nvme0n1", 259, 0);
        assertEquals(BlockDeviceKind.DISK, nvme.kind());
        assertTrue(nvme.stableName());
        assertFalse(nvme.rotational());
        assertThrows(IllegalArgumentException.class, () -> describe("/dev/nope", "/dev/nope", 1, 99));
    }

    @Test
    void devTNumbersAndLvmNames() {
        long rdev = (259L << 8 & 0xfff00) | ((259L & ~0xfffL) << 32) | (70000L & 0xff) | ((70000L & ~0xffL) << 12);
        assertEquals(259, BlockDevices.major(rdev));
        assertEquals(70000, BlockDevices.minor(rdev));
        assertEquals(7, BlockDevices.major(0x700));
        assertArrayEquals(new String[] {"vg", "lv"}, BlockDevices.splitLvmName("vg-lv"));
        assertArrayEquals(new String[] {"my-vg", "my--lv"}, BlockDevices.splitLvmName("my--vg-my----lv"));
    }

    @Test
    void regularFilesAreNotBlockDevices() throws IOException {
        Path f = Files.createFile(sys.resolve("plain.img"));
        assertFalse(BlockDevices.isBlockDevice(f));
        assertFalse(BlockDevices.isBlockDevice(sys.resolve("missing")));
        assertThrows(IllegalArgumentException.class, () -> new BlockDevices().inspect(f));
    }

    @Test
    void fileRecommendationDependsOnODirect() throws IOException {
        Path f = Files.createFile(sys.resolve("disk.qcow2"));
        DiskRecommendation r = DiskRecommendation.forFile(f);
        assertEquals(new DiskSource.File(f), r.source());
        assertEquals(DiskRecommendation.supportsDirectIo(f) ? CacheMode.NONE : CacheMode.WRITEBACK, r.cache());
        // QEMU itself must agree: qemu-io with cache=none (-t none) opens with O_DIRECT
        for (Path dir : new Path[] {sys, Path.of("/dev/shm")}) {
            if (!Files.isDirectory(dir) || !Files.isWritable(dir) || !io.kvmj.core.image.ImageTestSupport.hasTool("qemu-io")) {
                continue;
            }
            Path img = Files.write(Files.createTempFile(dir, "odirect", ".img"), new byte[65536]);
            try {
                int code = io.kvmj.core.image.ImageTestSupport.execRaw("qemu-io", "-f", "raw", "-t", "none", "-c",
                    "read 0 4k", img.toString()).code();
                assertEquals(code == 0, DiskRecommendation.supportsDirectIo(img), "O_DIRECT on " + dir);
            } finally {
                Files.delete(img);
            }
        }
        // rendered by the one argv renderer, commas escaped there
        Path comma = Files.createFile(sys.resolve("a,b.img"));
        GuestSpec spec = GuestSpec.builder("vm").disk(DiskRecommendation.forFile(comma, false).disk("n")
            .readOnly(true).build()).build();
        assertEquals("driver=file,node-name=n-file,filename=" + comma.toString().replace(",", ",,")
            + ",aio=threads,cache.direct=off,cache.no-flush=off,read-only=on",
            QemuCommandLine.defaults().render(spec).valuesOf("-blockdev").get(0));
    }
}

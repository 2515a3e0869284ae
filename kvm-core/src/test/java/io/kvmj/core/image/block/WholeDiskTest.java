package io.kvmj.core.image.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.AioMode;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.qemu.QemuCommandLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole SATA-like disk on a fake sysfs laid out like the kernel's (binary VPD pages 0x80/0x83 as a Linux 6.1
 * host exposes them for an ATA disk behind libata), its recipe as the renderer writes it, and who uses a disk.
 */
class WholeDiskTest {
    @TempDir
    Path sys;

    /** sdb 8:16 with a partition sdb1 8:17; 512-byte logical, 4096-byte physical sectors, non-rotating. */
    private Path sdb() throws IOException {
        Path real = sys.resolve("devices/pci0000:00/0000:00:17.0/ata2/host1/target1:0:0/1:0:0:0/block/sdb");
        Files.createDirectories(real.resolve("queue"));
        Files.writeString(real.resolve("uevent"), "MAJOR=8\nMINOR=16\nDEVNAME=sdb\nDEVTYPE=disk\n");
        Files.writeString(real.resolve("size"), "7814037168\n");
        Files.writeString(real.resolve("queue/logical_block_size"), "512\n");
        Files.writeString(real.resolve("queue/physical_block_size"), "4096\n");
        Files.writeString(real.resolve("queue/rotational"), "0\n");
        Path dev = real.resolve("device");
        Files.createDirectories(dev);
        // libata: wwid is "t10.ATA ..." (not an naa. name), so the WWN comes from the NAA designator of page 0x83
        Files.writeString(dev.resolve("wwid"), "t10.ATA     Samsung SSD 870 EVO 4TB                 S6BCNS0T123456A\n");
        byte[] serial = "S6BCNS0T123456A     ".getBytes(StandardCharsets.US_ASCII);
        byte[] pg80 = new byte[4 + serial.length];
        pg80[1] = (byte) 0x80;
        pg80[3] = (byte) serial.length;
        System.arraycopy(serial, 0, pg80, 4, serial.length);
        Files.write(dev.resolve("vpd_pg80"), pg80);
        byte[] t10 = "ATA     Samsung SSD".getBytes(StandardCharsets.US_ASCII);
        byte[] naa = {0x50, 0x02, 0x53, (byte) 0x8d, 0x41, 0x02, 0x03, 0x04};
        byte[] pg83 = new byte[4 + 4 + t10.length + 4 + naa.length];
        pg83[1] = (byte) 0x83;
        pg83[3] = (byte) (pg83.length - 4);
        int i = 4;
        pg83[i] = 0x02; pg83[i + 1] = 0x01; pg83[i + 3] = (byte) t10.length;         // T10 vendor id, ASCII
        System.arraycopy(t10, 0, pg83, i + 4, t10.length);
        i += 4 + t10.length;
        pg83[i] = 0x01; pg83[i + 1] = 0x03; pg83[i + 3] = (byte) naa.length;         // NAA, binary, logical unit
        System.arraycopy(naa, 0, pg83, i + 4, naa.length);
        Files.write(dev.resolve("vpd_pg83"), pg83);
        Path part = real.resolve("sdb1");
        Files.createDirectories(part);
        Files.writeString(part.resolve("partition"), "1\n");
        Files.writeString(part.resolve("dev"), "8:17\n");
        Files.createDirectories(real.resolve("holders"));
        Files.createDirectories(part.resolve("holders"));
        Files.createDirectories(sys.resolve("dev/block"));
        Files.createSymbolicLink(sys.resolve("dev/block/8:16"), real);
        Files.createSymbolicLink(sys.resolve("dev/block/8:17"), part);
        return real;
    }

    private BlockDevice describeSdb() throws IOException {
        sdb();
        return new BlockDevices(sys, p -> 4_000_787_030_016L).describe(
                Path.of("/dev/disk/by-id/ata-Samsung_SSD_870_EVO_4TB_S6BCNS0T123456A"), Path.of("/dev/sdb"), 8, 16);
    }

    @Test
    void serialWwnBlockSizesAndRotationComeFromSysfs() throws IOException {
        BlockDevice d = describeSdb();
        assertEquals(BlockDeviceKind.DISK, d.kind());
        assertEquals("S6BCNS0T123456A", d.serial());
        assertEquals("0x5002538d41020304", d.wwn());
        assertEquals(512, d.logicalBlockSize());
        assertEquals(4096, d.physicalBlockSize());
        assertEquals(false, d.rotational());
    }

    @Test
    void wwidWithAnNaaNameWins() throws IOException {
        Path real = sdb();
        Files.writeString(real.resolve("device/wwid"), "naa.5000c500a1b2c3d4\n");
        assertEquals("0x5000c500a1b2c3d4", DiskIdentity.wwn(real));
        Files.writeString(real.resolve("serial"), "VIRTIO-SERIAL-1\n");
        assertEquals("VIRTIO-SERIAL-1", DiskIdentity.serial(real));
    }

    @Test
    void loopDevicesHaveNoSerialAndNoWwn() throws IOException {
        Path real = sys.resolve("devices/virtual/block/loop3");
        Files.createDirectories(real.resolve("loop"));
        assertNull(DiskIdentity.serial(real));
        assertNull(DiskIdentity.wwn(real));
        assertNull(DiskIdentity.naaFromPage83(new byte[] {0, (byte) 0x83, 0, 0}));
    }

    @Test
    void theRecipeRendersTheArticlesSafeSettings() throws IOException {
        BlockDevice d = describeSdb();
        // render against an existing node: the renderer checks the device exists and O_DIRECT works on it
        Path node = Files.createFile(sys.resolve("sdb-node"));
        BlockDevice here = new BlockDevice(node, node, d.name(), 8, 16, d.kind(), d.sizeBytes(), false, 512, false,
                null, null, null, null, 4096, d.serial(), d.wwn());
        DiskSpec disk = new WholeDiskRecipe(here, true).disk("nas0").build();
        assertEquals(DiskBus.VIRTIO_SCSI, disk.bus());
        assertEquals(CacheMode.NONE, disk.cache());
        assertEquals(AioMode.NATIVE, disk.aio());
        assertTrue(disk.raidOrZfsInGuest() && disk.discard());
        List<String> argv = QemuCommandLine.defaults().render(GuestSpec.builder("nas").disk(disk).build()).argv();
        String all = String.join(" ", argv);
        assertTrue(all.contains("driver=host_device,node-name=nas0-file,filename=" + node + ",aio=native,cache.direct=on"
                + ",cache.no-flush=off,discard=unmap"), all);
        assertTrue(all.contains("scsi-hd,id=nas0,bus=scsi0.0,drive=nas0-fmt,write-cache=on,serial=S6BCNS0T123456A,"
                + "wwn=" + Long.parseLong("5002538d41020304", 16) + ",rotation_rate=1,logical_block_size=512,"
                + "physical_block_size=4096"), all);

        DiskSpec wt = new WholeDiskRecipe(here, false).disk("nas1").build();
        assertEquals(CacheMode.WRITETHROUGH, wt.cache());
        assertEquals(AioMode.THREADS, wt.aio());
        assertTrue(new WholeDiskRecipe(here, false).recommendation().reason().contains("O_DIRECT"));
    }

    @Test
    void virtioBlkHasNoWwnAndTheWwnIsChecked() {
        DiskSpec.Builder b = DiskSpec.builder("d", DiskSource.hostDevice(Path.of("/dev/sdb")));
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> b.wwn("0x5000c500a1b2c3d4").build());
        assertTrue(e.getMessage().contains("virtio-blk has no WWN"), e.getMessage());
        assertEquals("0x5000c500a1b2c3d4", b.bus(DiskBus.VIRTIO_SCSI).wwn("NAA.5000C500A1B2C3D4").build().wwn());
        assertThrows(InvalidSpecException.class, () -> b.wwn("0x5000c500").build());
        assertThrows(InvalidSpecException.class, () -> b.wwn("0xf000c500a1b2c3d4").build()); // NAA type 15
        assertThrows(InvalidSpecException.class, () -> b.wwn(null).rotationRate(7200 * 10).build());
        assertThrows(InvalidSpecException.class, () -> b.bus(DiskBus.VIRTIO_BLK).rotationRate(1).build());
    }

    @Test
    void usersAreMountsOfItOrItsPartitionsHoldersAndSwap() throws IOException {
        BlockDevice d = describeSdb();
        Path mountinfo = sys.resolve("mountinfo");
        Path swaps = sys.resolve("swaps");
        Files.writeString(mountinfo, "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n");
        Files.writeString(swaps, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
        BlockDeviceUsage usage = new BlockDeviceUsage(sys, mountinfo, swaps);
        assertEquals(List.of(), usage.users(d));

        Files.writeString(mountinfo, "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
                + "97 22 8:17 / /srv/nas\\040data rw,relatime shared:50 - ext4 /dev/sdb1 rw\n");
        Files.createDirectories(sys.resolve("dev/block/8:16/holders/md127"));
        assertEquals(List.of("partition sdb1 is mounted on /srv/nas data", "it is held by md127 (an md RAID array)"),
                usage.users(d));
    }
}

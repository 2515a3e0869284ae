package io.kvmj.core.qemu;

import io.kvmj.core.host.HostEnvironment;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.AioMode;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.CpuModel;
import io.kvmj.core.model.DetectZeroes;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.MemoryBackend;
import io.kvmj.core.model.MemorySpec;
import io.kvmj.core.model.NicModel;
import io.kvmj.core.model.NicSpec;
import io.kvmj.core.model.NinePShare;
import io.kvmj.core.model.NumaNode;
import io.kvmj.core.model.PciHostDevice;
import io.kvmj.core.model.QmpEndpoint;
import io.kvmj.core.model.SerialSpec;
import io.kvmj.core.model.VncSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every refusal and warning the renderer promises, each with its reason. */
class ValidationTest {
    @TempDir
    Path tmp;
    Path root;
    Path img;
    QemuCommandLine renderer;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        img = Files.write(tmp.resolve("disk.raw"), new byte[4096]);
        renderer = QemuCommandLine.defaults().withHost(HostEnvironment.rootedAt(root));
    }

    private InvalidSpecException refused(Consumer<GuestSpec.Builder> c, String field, String reasonPart) {
        GuestSpec.Builder b = GuestSpec.builder("g");
        c.accept(b);
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> renderer.render(b.build()));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(reasonPart), e.getMessage());
        return e;
    }

    private List<Warning> warnings(Consumer<GuestSpec.Builder> c) {
        GuestSpec.Builder b = GuestSpec.builder("g");
        c.accept(b);
        return renderer.render(b.build()).warnings();
    }

    @Test
    void aioNativeNeedsCacheDirect() {
        refused(b -> b.disk(DiskSpec.file("d", img).aio(AioMode.NATIVE).build()), "disks[d].aio", "requires cache.direct=on");
        renderer.render(GuestSpec.builder("g").disk(DiskSpec.file("d", img).aio(AioMode.NATIVE).cache(CacheMode.DIRECTSYNC).build()).build());
    }

    @Test
    void directCacheWithoutODirectIsRefusedAfterARealProbe() throws Exception {
        HostEnvironment host = HostEnvironment.system();
        // tmpfs refused O_DIRECT before Linux 6.6; newer kernels (this host: 6.18) accept it, procfs never does.
        Path shm = Files.isWritable(Path.of("/dev/shm")) ? Files.createTempFile(Path.of("/dev/shm"), "kvmj-test", ".raw") : null;
        try {
            Path noDirect = shm != null && !host.supportsDirectIo(shm) ? shm : Path.of("/proc/meminfo");
            Assumptions.assumeTrue(Files.exists(noDirect), "no procfs");
            assertTrue(!host.supportsDirectIo(noDirect), noDirect + " should refuse O_DIRECT");
            for (CacheMode m : List.of(CacheMode.NONE, CacheMode.DIRECTSYNC)) {
                InvalidSpecException e = refused(b -> b.disk(DiskSpec.file("d", noDirect).readOnly(true).cache(m).build()),
                        "disks[d].cache", "does not support O_DIRECT");
                assertEquals(m.qemuName(), e.value());
            }
            renderer.render(GuestSpec.builder("g").disk(DiskSpec.file("d", noDirect).readOnly(true).cache(CacheMode.WRITETHROUGH).build()).build());
            assertTrue(host.supportsDirectIo(img), "ext4 temp dir supports O_DIRECT");
            assertTrue(host.supportsDirectIo(tmp), "directory probe creates and removes a probe file");
            try (var files = Files.list(tmp)) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".kvmj-odirect")));
            }
        } finally {
            if (shm != null) {
                Files.deleteIfExists(shm);
            }
        }
    }

    @Test
    void sameReadWriteImageTwiceIsRefusedButReadOnlyCopiesAreFine() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("alias.raw"), img);
        refused(b -> b.disk(DiskSpec.file("a", img).build()).disk(DiskSpec.file("b", link).build()), "disks[b].path", "already attached read-write as disk 'a'");
        renderer.render(GuestSpec.builder("g").disk(DiskSpec.file("a", img).build()).disk(DiskSpec.file("b", img).readOnly(true).build()).build());
    }

    @Test
    void ninePathMustBeADirectoryAndTagAtMost31Bytes() {
        refused(b -> b.share(NinePShare.of("t", img)), "shares[t].path", "not an existing directory");
        refused(b -> b.share(NinePShare.of("t", tmp.resolve("nope"))), "shares[t].path", "not an existing directory");
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> NinePShare.of("a".repeat(32), tmp));
        assertTrue(e.getMessage().contains("1..31 bytes, is 32"), e.getMessage());
        NinePShare.of("a".repeat(31), tmp);
        assertThrows(InvalidSpecException.class, () -> NinePShare.of("éééééééééééééééé", tmp), "16 chars but 32 bytes");
        refused(b -> b.share(NinePShare.of("t", tmp)).share(NinePShare.of("t", tmp)), "shares[t].mount_tag", "duplicate");
    }

    @Test
    void serialLongerThanTheBusCarriesIsRefusedNamingDiskSerialLengthAndLimit() {
        for (DiskBus bus : DiskBus.values()) {
            int max = bus.maxSerialBytes();
            String tooLong = "S".repeat(max + 1);
            InvalidSpecException e = assertThrows(InvalidSpecException.class,
                    () -> DiskSpec.file("d", img).bus(bus).serial(tooLong).build(), bus.toString());
            assertEquals("disks[d].serial", e.field());
            assertEquals(tooLong, e.value());
            assertTrue(e.getMessage().contains("disk 'd' is " + (max + 1) + " bytes"), e.getMessage());
            assertTrue(e.getMessage().contains("at most " + max + " bytes"), e.getMessage());
            String exact = "S".repeat(max);
            List<String> argv = renderer.render(GuestSpec.builder("g")
                    .disk(DiskSpec.file("d", img).bus(bus).serial(exact).build()).build()).argv();
            assertTrue(argv.stream().anyMatch(a -> a.contains(",serial=" + exact)), bus + " " + argv);
        }
        assertEquals(20, DiskBus.VIRTIO_BLK.maxSerialBytes());
        assertEquals(20, DiskBus.IDE.maxSerialBytes());
        assertEquals(20, DiskBus.SATA.maxSerialBytes());
        assertEquals(36, DiskBus.VIRTIO_SCSI.maxSerialBytes());
        // bytes, not chars: 10 x 'é' is 20 bytes (fits), 11 is 22 (refused); a comma counts once, not as its escape
        DiskSpec.file("d", img).serial("é".repeat(10)).build();
        assertThrows(InvalidSpecException.class, () -> DiskSpec.file("d", img).serial("é".repeat(11)).build());
        String commas = ",".repeat(20);
        assertTrue(renderer.render(GuestSpec.builder("g").disk(DiskSpec.file("d", img).serial(commas).build()).build())
                .argv().stream().anyMatch(a -> a.endsWith(",serial=" + ",".repeat(40))));
        // newline / NUL cannot be carried at all
        for (String bad : List.of("a\nb", "a\rb", "a\0b")) {
            InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> DiskSpec.file("d", img).serial(bad).build());
            assertEquals("disks[d].serial", e.field());
            assertTrue(e.getMessage().contains("newline, carriage return or NUL"), e.getMessage());
        }
    }

    @Test
    void longScsiSerialAlsoBecomesTheDeviceIdSoPage83IsNotCut() {
        String s36 = "0123456789abcdefghijklmnopqrstuvwxyz";
        List<String> argv = renderer.render(GuestSpec.builder("g")
                .disk(DiskSpec.file("d", img).bus(DiskBus.VIRTIO_SCSI).serial(s36).build()).build()).argv();
        assertTrue(argv.stream().anyMatch(a -> a.startsWith("scsi-hd,") && a.contains(",serial=" + s36 + ",device_id=" + s36)),
                argv.toString());
        String s20 = s36.substring(0, 20);
        List<String> short20 = renderer.render(GuestSpec.builder("g")
                .disk(DiskSpec.file("d", img).bus(DiskBus.VIRTIO_SCSI).serial(s20).build()).build()).argv();
        assertTrue(short20.stream().noneMatch(a -> a.contains("device_id")), "QEMU's default device_id already is the serial: " + short20);
        List<String> blk = renderer.render(GuestSpec.builder("g")
                .disk(DiskSpec.file("d", img).serial(s20).build()).build()).argv();
        assertTrue(blk.stream().noneMatch(a -> a.contains("device_id")), blk.toString());
    }

    @Test
    void unsafeCacheOnlyOnDisposableDisks() {
        refused(b -> b.disk(DiskSpec.file("d", img).cache(CacheMode.UNSAFE).build()), "disks[d].cache", "disposable");
        renderer.render(GuestSpec.builder("g").disk(DiskSpec.file("d", img).cache(CacheMode.UNSAFE).disposable(true).build()).build());
    }

    @Test
    void hugepagesMustBeFreeOnTheFakeSysfs() throws Exception {
        MemorySpec m = MemorySpec.ofMiB(512).withBackend(MemoryBackend.memfd("hp", 512).hugetlb(2048).build());
        refused(b -> b.memory(m), "memory.backend[hp].hugetlbsize", "no 2048 kB hugepage size");
        Path d = Files.createDirectories(root.resolve("sys/kernel/mm/hugepages/hugepages-2048kB"));
        Files.writeString(d.resolve("free_hugepages"), "0\n");
        refused(b -> b.memory(m), "memory.backend[hp].hugetlbsize", "needs 256 free 2048 kB hugepages, host has 0");
        Files.writeString(d.resolve("free_hugepages"), "255\n");
        refused(b -> b.memory(m), "memory.backend[hp].hugetlbsize", "host has 255");
        Files.writeString(d.resolve("free_hugepages"), "256\n");
        assertTrue(renderer.render(GuestSpec.builder("g").memory(m).build()).argv()
                .contains("memory-backend-memfd,id=hp,size=512M,hugetlb=on,hugetlbsize=2048K"));
        // file backend on hugetlbfs: 1 GiB pages, size from the spec
        MemorySpec f = MemorySpec.ofMiB(2048).withBackend(MemoryBackend.file("hf", 2048, tmp).hugepages(1048576).prealloc(true).build());
        refused(b -> b.memory(f), "memory.backend[hf].hugetlbsize", "no 1048576 kB hugepage size");
        // default size comes from proc/meminfo
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/meminfo"), "MemTotal: 1 kB\nHugepagesize:    1048576 kB\n");
        MemorySpec dflt = MemorySpec.ofMiB(1024).withBackend(MemoryBackend.memfd("hd", 1024).hugetlb(0).build());
        refused(b -> b.memory(dflt), "memory.backend[hd].hugetlbsize", "1048576 kB");
        // a file backend under /dev/hugepages is recognised without an explicit page size
        MemorySpec dev = MemorySpec.ofMiB(1024).withBackend(MemoryBackend.file("hg", 1024, Path.of("/dev/hugepages")).build());
        refused(b -> b.memory(dev), "memory.backend[hg].hugetlbsize", "1048576 kB");
    }

    @Test
    void raidOrZfsGuestAndPassthroughBlockDevicesWarnAboutHostCaching() {
        List<Warning> w = warnings(b -> b.disk(DiskSpec.file("d", img).raidOrZfsInGuest(true).build()));
        assertEquals(1, w.size());
        assertEquals("disks[d].cache", w.get(0).field());
        assertTrue(w.get(0).message().contains("none, writethrough or directsync"));
        assertTrue(warnings(b -> b.disk(DiskSpec.file("d", img).raidOrZfsInGuest(true).cache(CacheMode.WRITETHROUGH).build())).isEmpty());
        List<Warning> pt = warnings(b -> b.disk(DiskSpec.builder("p", DiskSource.hostDevice(Path.of("/dev/null"))).build()));
        assertTrue(pt.get(0).message().contains("passthrough block device"), pt.toString());
    }

    @Test
    void missingImageNamesTheFileAndRelativePathsBecomeAbsolute() throws Exception {
        InvalidSpecException e = refused(b -> b.disk(DiskSpec.file("d", tmp.resolve("missing.qcow2")).build()), "disks[d].path", "image file does not exist");
        assertEquals(tmp.resolve("missing.qcow2").toString(), e.value());
        Path rel = Path.of("target", "kvmj-rel-" + System.nanoTime() + ".raw");
        Files.createDirectories(rel.getParent());
        Files.write(rel, new byte[512]);
        try {
            List<String> a = renderer.render(GuestSpec.builder("g").disk(DiskSpec.file("d", rel).build()).build()).argv();
            assertTrue(a.stream().anyMatch(s -> s.contains("filename=" + rel.toAbsolutePath().normalize() + ",")), a.toString());
        } finally {
            Files.deleteIfExists(rel);
        }
    }

    @Test
    void newlineInAPathOrAppendIsRefused() {
        refused(b -> b.disk(DiskSpec.file("d", Path.of(tmp + "/a\nb")).build()), "disks[d].path", "newline or NUL");
        refused(b -> b.kernel(img, null, "console=ttyS0\ninit=/bin/sh"), "kernel.append", "newline or NUL");
    }

    @Test
    void badIdsAndForeignFormatsWritable() {
        refused(b -> b.disk(DiskSpec.file("1disk", img).build()), "disks[1disk].id", "not a valid QEMU id");
        refused(b -> b.disk(DiskSpec.file("a,b", img).build()), "disks[a,b].id", "not a valid QEMU id");
        refused(b -> b.disk(DiskSpec.file("d", img).format(DiskFormat.VMDK).build()), "disks[d].format", "read-only only");
        refused(b -> b.disk(DiskSpec.file("d", img).readOnly(true).bus(DiskBus.IDE).build()), "disks[d].bus", "read-only");
        refused(b -> b.disk(DiskSpec.file("d", img).detectZeroes(DetectZeroes.UNMAP).build()), "disks[d].detect-zeroes", "discard");
        refused(b -> b.disk(DiskSpec.file("d", img).blockSizes(1000, null).build()), "disks[d].logical_block_size", "power of two");
        refused(b -> b.disk(DiskSpec.file("d", img).iothread("io0").bus(DiskBus.SATA).build()), "disks[d].iothread", "virtio");
        refused(b -> b.disk(DiskSpec.file("d", img).build()).disk(DiskSpec.file("d", img).readOnly(true).build()), "disks[d].id", "duplicate");
        refused(b -> b.disk(DiskSpec.file("abcdefghijklmnopqrstuvwxyz0", img).build()), "disks[abcdefghijklmnopqrstuvwxyz0].id", "31");
    }

    @Test
    void vfioChecksIommuGroupAndDriver() throws Exception {
        String bdf = "0000:02:00.0";
        refused(b -> b.pci(PciHostDevice.of(bdf)), "pci[" + bdf + "]", "no such PCI device");
        Path dev = Files.createDirectories(root.resolve("sys/bus/pci/devices/" + bdf));
        refused(b -> b.pci(PciHostDevice.of(bdf)), "pci[" + bdf + "]", "no IOMMU group");
        Files.createDirectories(root.resolve("sys/kernel/iommu_groups/3"));
        Files.createSymbolicLink(dev.resolve("iommu_group"), root.resolve("sys/kernel/iommu_groups/3"));
        refused(b -> b.pci(PciHostDevice.of(bdf)), "pci[" + bdf + "]", "bound to no driver, not vfio-pci");
        Files.createDirectories(root.resolve("sys/bus/pci/drivers/nvme"));
        Files.createSymbolicLink(dev.resolve("driver"), root.resolve("sys/bus/pci/drivers/nvme"));
        refused(b -> b.pci(PciHostDevice.of(bdf)), "pci[" + bdf + "]", "driver 'nvme'");
        Files.delete(dev.resolve("driver"));
        Files.createDirectories(root.resolve("sys/bus/pci/drivers/vfio-pci"));
        Files.createSymbolicLink(dev.resolve("driver"), root.resolve("sys/bus/pci/drivers/vfio-pci"));
        assertTrue(renderer.render(GuestSpec.builder("g").pci(PciHostDevice.of(bdf)).build()).argv().contains("vfio-pci,id=hostpci0,host=" + bdf));
        assertThrows(InvalidSpecException.class, () -> PciHostDevice.of("1:2:3"));
    }

    @Test
    void softWarnings() {
        assertTrue(warnings(b -> b.cpu(CpuModel.host())).get(0).message().contains("needs KVM"));
        assertTrue(warnings(b -> b.cpu(CpuModel.host()).accelerator(Accelerator.KVM)).isEmpty());
        List<Warning> vnc = warnings(b -> b.vnc(VncSpec.anyAddress(0)));
        assertTrue(vnc.stream().anyMatch(w -> w.message().contains("0.0.0.0")), vnc.toString());
        assertTrue(warnings(b -> b.vnc(VncSpec.loopback(0))).isEmpty());
        assertTrue(warnings(b -> b.qmp(QmpEndpoint.tcp("0.0.0.0", 4444))).get(0).message().contains("no authentication"));
    }

    @Test
    void structuralRefusals() {
        refused(b -> b.serial(SerialSpec.stdio()).serial(SerialSpec.stdio()), "serials[1]", "stdio");
        refused(b -> b.qmp(QmpEndpoint.unixServer(tmp.resolve("x".repeat(120)))), "qmp[0].path", "limited to 107 bytes");
        refused(b -> b.qmp(QmpEndpoint.unixServer(tmp.resolve("nodir/q.sock"))), "qmp[0].path", "does not exist");
        refused(b -> b.machine(MachineType.MICROVM).nic(NicSpec.user("n").model(NicModel.E1000)), "nics[n].model", "microvm");
        refused(b -> b.nic(NicSpec.user("n")).nic(NicSpec.user("n")), "nics[n].id", "duplicate");
        refused(b -> b.memory(MemorySpec.ofMiB(256).withNuma(List.of(new NumaNode(0, 0, 3, MemoryBackend.ram("m", 256).build())))),
                "memory.numa[0].cpus", "only 1 vCPUs");
        assertThrows(InvalidSpecException.class, () -> MemorySpec.ofMiB(256).withNuma(List.of(new NumaNode(0, 0, 0, MemoryBackend.ram("m", 128).build()))));
        assertThrows(InvalidSpecException.class, () -> NicSpec.tap("t", "tap0").forward(io.kvmj.core.model.PortForward.tcp(1, 2)));
        assertThrows(InvalidSpecException.class, () -> new io.kvmj.core.model.SmpTopology(4, 1, 2, 1));
        assertThrows(InvalidSpecException.class, () -> DiskSpec.builder("n", DiskSource.nbdTcp("h", 0, null)).build());
        refused(b -> b.disk(DiskSpec.builder("n", DiskSource.nbdTcp("h", 10809, null)).aio(AioMode.IO_URING).build()), "disks[n].aio", "not NBD");
    }
}

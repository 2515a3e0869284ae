package io.kvmj.core.qemu;

import io.kvmj.core.host.HostEnvironment;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.AioMode;
import io.kvmj.core.model.BootDevice;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.CdRom;
import io.kvmj.core.model.CpuModel;
import io.kvmj.core.model.DetectZeroes;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.Firmware;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.HostNodePolicy;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.MacAddresses;
import io.kvmj.core.model.MemoryBackend;
import io.kvmj.core.model.MemorySpec;
import io.kvmj.core.model.NicModel;
import io.kvmj.core.model.NicSpec;
import io.kvmj.core.model.NinePShare;
import io.kvmj.core.model.NumaNode;
import io.kvmj.core.model.PciHostDevice;
import io.kvmj.core.model.PortForward;
import io.kvmj.core.model.QmpEndpoint;
import io.kvmj.core.model.SecurityModel;
import io.kvmj.core.model.SerialSpec;
import io.kvmj.core.model.SmpTopology;
import io.kvmj.core.model.UsbHostDevice;
import io.kvmj.core.model.VncSpec;
import io.kvmj.core.model.VirtioSerialChannel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact argv per feature, in the renderer's stable order. */
class GoldenArgvTest {
    @TempDir
    Path tmp;
    Path root;
    QemuCommandLine renderer;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("fakeroot"));
        renderer = new QemuCommandLine("/opt/qemu/bin/qemu-system-x86_64", HostEnvironment.rootedAt(root));
    }

    private List<String> argv(GuestSpec s) { return renderer.render(s).args(); }

    private static final List<String> BASE = List.of("-name", "guest=g", "-nodefaults", "-no-user-config",
            "-machine", "type=q35", "-accel", "kvm", "-accel", "tcg", "-cpu", "max",
            "-smp", "cpus=1,sockets=1,cores=1,threads=1", "-m", "size=512M", "-display", "none");

    private static List<String> base(String... more) {
        List<String> l = new java.util.ArrayList<>(BASE);
        l.addAll(List.of(more));
        return l;
    }

    @Test
    void defaultsAreMinimalAndHeadless() {
        QemuCommand c = renderer.render(GuestSpec.builder("g").build());
        assertEquals("/opt/qemu/bin/qemu-system-x86_64", c.argv().get(0));
        assertEquals(BASE, c.args());
        assertTrue(c.warnings().isEmpty());
    }

    @Test
    void machineAcceleratorCpuTopologySandboxPidfileUuid() {
        UUID u = UUID.fromString("12345678-1234-5678-1234-567812345678");
        GuestSpec s = GuestSpec.builder("g").uuid(u).machine(MachineType.PC).accelerator(Accelerator.KVM)
                .cpu(CpuModel.host()).smp(new SmpTopology(8, 2, 2, 2)).memoryMiB(2048).sandbox(true)
                .pidfile(tmp.resolve("g.pid")).startPaused(true).nodefaults(false).build();
        assertEquals(List.of("-name", "guest=g", "-uuid", u.toString(), "-no-user-config", "-machine", "type=pc",
                "-accel", "kvm", "-cpu", "host", "-smp", "cpus=8,sockets=2,cores=2,threads=2",
                "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
                "-pidfile", tmp.resolve("g.pid").toString(), "-S", "-m", "size=2048M", "-display", "none"), argv(s));
        assertEquals(List.of("-accel", "tcg"), argv(GuestSpec.builder("g").accelerator(Accelerator.TCG).build()).subList(6, 8));
        List<String> noReboot = argv(GuestSpec.builder("g").startPaused(true).noReboot(true).build());
        assertEquals(List.of("-S", "-no-reboot"), noReboot.subList(noReboot.indexOf("-S"), noReboot.indexOf("-S") + 2));
        assertFalse(argv(GuestSpec.builder("g").build()).contains("-no-reboot"));
        assertTrue(GuestSpec.builder("g").noReboot(true).build().toBuilder().build().noReboot(), "toBuilder keeps noReboot");
    }

    @Test
    void memoryBackendsNumaBalloonMemLock() throws Exception {
        Path hp = Files.createDirectories(root.resolve("sys/kernel/mm/hugepages/hugepages-2048kB"));
        Files.writeString(hp.resolve("free_hugepages"), "512\n");
        MemorySpec m = MemorySpec.ofMiB(1024).withNuma(List.of(
                new NumaNode(0, 0, 1, MemoryBackend.file("m0", 512, tmp).share(true).prealloc(true).build()),
                new NumaNode(1, 2, 3, MemoryBackend.memfd("m1", 512).hugetlb(2048).hostNodes(HostNodePolicy.BIND, 0, 1).build())))
                .withBalloon(true).withMemLock(true);
        GuestSpec s = GuestSpec.builder("g").smp(SmpTopology.of(4)).memory(m).build();
        List<String> a = argv(s);
        assertEquals(List.of("-m", "size=1024M",
                "-object", "memory-backend-file,id=m0,size=512M,mem-path=" + tmp + ",share=on,prealloc=on",
                "-object", "memory-backend-memfd,id=m1,size=512M,hugetlb=on,hugetlbsize=2048K,host-nodes=0,host-nodes=1,policy=bind",
                "-numa", "node,nodeid=0,cpus=0-1,memdev=m0", "-numa", "node,nodeid=1,cpus=2-3,memdev=m1",
                "-overcommit", "mem-lock=on"), a.subList(a.indexOf("-m"), a.indexOf("-display")));
        assertEquals(List.of("-device", "virtio-balloon-pci,id=balloon0"), a.subList(a.size() - 2, a.size()));
    }

    @Test
    void singleBackendGoesOnTheMachine() {
        GuestSpec s = GuestSpec.builder("g").memory(MemorySpec.ofMiB(256).withBackend(MemoryBackend.ram("ram0", 256).build())).build();
        List<String> a = argv(s);
        assertEquals("type=q35,memory-backend=ram0", a.get(a.indexOf("-machine") + 1));
        assertTrue(a.containsAll(List.of("-object", "memory-backend-ram,id=ram0,size=256M")));
    }

    @Test
    void qcow2VirtioBlkDiskWithEveryTuningKnob() throws Exception {
        Path img = Files.createFile(tmp.resolve("root.qcow2"));
        DiskSpec d = DiskSpec.file("root", img).format(DiskFormat.QCOW2).cache(CacheMode.NONE).aio(AioMode.NATIVE)
                .serial("SN1").bootIndex(0).iothread("io0").discard(true).detectZeroes(DetectZeroes.UNMAP)
                .blockSizes(512, 4096).build();
        List<String> a = argv(GuestSpec.builder("g").disk(d).build());
        assertEquals(List.of(
                "-object", "iothread,id=io0",
                "-blockdev", "driver=file,node-name=root-file,filename=" + img + ",aio=native,cache.direct=on,cache.no-flush=off,discard=unmap",
                "-blockdev", "driver=qcow2,node-name=root-fmt,file=root-file,cache.direct=on,cache.no-flush=off,discard=unmap,detect-zeroes=unmap",
                "-device", "virtio-blk-pci,id=root,drive=root-fmt,iothread=io0,write-cache=on,serial=SN1,bootindex=0,"
                        + "logical_block_size=512,physical_block_size=4096"), a.subList(BASE.size(), a.size()));
    }

    @Test
    void eachCacheModeMapsToDirectNoFlushAndWriteCache() throws Exception {
        Path img = Files.createFile(tmp.resolve("d.raw"));
        String[][] expect = {
                {"WRITEBACK", "cache.direct=off,cache.no-flush=off", "write-cache=on"},
                {"NONE", "cache.direct=on,cache.no-flush=off", "write-cache=on"},
                {"WRITETHROUGH", "cache.direct=off,cache.no-flush=off", "write-cache=off"},
                {"DIRECTSYNC", "cache.direct=on,cache.no-flush=off", "write-cache=off"},
                {"UNSAFE", "cache.direct=off,cache.no-flush=on", "write-cache=on"}};
        for (String[] e : expect) {
            CacheMode m = CacheMode.valueOf(e[0]);
            List<String> a = argv(GuestSpec.builder("g").disk(DiskSpec.file("d", img).cache(m).disposable(true).build()).build());
            assertEquals("driver=file,node-name=d-file,filename=" + img + ",aio=threads," + e[1], a.get(BASE.size() + 1), m.toString());
            assertEquals("driver=raw,node-name=d-fmt,file=d-file," + e[1], a.get(BASE.size() + 3), m.toString());
            assertEquals("virtio-blk-pci,id=d,drive=d-fmt," + e[2], a.get(BASE.size() + 5), m.toString());
        }
    }

    @Test
    void scsiIdeSataBusesHostDeviceAndNbd() throws Exception {
        Path a1 = Files.createFile(tmp.resolve("a.raw"));
        Path a2 = Files.createFile(tmp.resolve("b.raw"));
        Path a3 = Files.createFile(tmp.resolve("c.vdi"));
        GuestSpec s = GuestSpec.builder("g")
                .disk(DiskSpec.file("s0", a1).bus(DiskBus.VIRTIO_SCSI).cache(CacheMode.WRITETHROUGH).build())
                .disk(DiskSpec.file("i0", a2).bus(DiskBus.IDE).build())
                .disk(DiskSpec.file("v0", a3).format(DiskFormat.VDI).readOnly(true).build())
                .disk(DiskSpec.builder("n0", DiskSource.nbdTcp("10.0.0.2", 10809, "exp")).bus(DiskBus.SATA).build())
                .disk(DiskSpec.builder("n1", DiskSource.nbdUnix(tmp.resolve("nbd.sock"), null)).build())
                .build();
        List<String> a = argv(s);
        assertEquals(List.of(
                "-blockdev", "driver=file,node-name=s0-file,filename=" + a1 + ",aio=threads,cache.direct=off,cache.no-flush=off",
                "-blockdev", "driver=raw,node-name=s0-fmt,file=s0-file,cache.direct=off,cache.no-flush=off",
                "-device", "virtio-scsi-pci,id=scsi0",
                "-device", "scsi-hd,id=s0,bus=scsi0.0,drive=s0-fmt,write-cache=off",
                "-blockdev", "driver=file,node-name=i0-file,filename=" + a2 + ",aio=threads,cache.direct=off,cache.no-flush=off",
                "-blockdev", "driver=raw,node-name=i0-fmt,file=i0-file,cache.direct=off,cache.no-flush=off",
                "-device", "ide-hd,id=i0,drive=i0-fmt,write-cache=on",
                "-blockdev", "driver=file,node-name=v0-file,filename=" + a3 + ",aio=threads,cache.direct=off,cache.no-flush=off,read-only=on",
                "-blockdev", "driver=vdi,node-name=v0-fmt,file=v0-file,cache.direct=off,cache.no-flush=off,read-only=on",
                "-device", "virtio-blk-pci,id=v0,drive=v0-fmt,write-cache=on",
                "-blockdev", "driver=nbd,node-name=n0-file,server.type=inet,server.host=10.0.0.2,server.port=10809,export=exp,cache.direct=off,cache.no-flush=off",
                "-blockdev", "driver=raw,node-name=n0-fmt,file=n0-file,cache.direct=off,cache.no-flush=off",
                "-device", "ich9-ahci,id=ahci0",
                "-device", "ide-hd,id=n0,bus=ahci0.0,drive=n0-fmt,write-cache=on",
                "-blockdev", "driver=nbd,node-name=n1-file,server.type=unix,server.path=" + tmp.resolve("nbd.sock") + ",cache.direct=off,cache.no-flush=off",
                "-blockdev", "driver=raw,node-name=n1-fmt,file=n1-file,cache.direct=off,cache.no-flush=off",
                "-device", "virtio-blk-pci,id=n1,drive=n1-fmt,write-cache=on"), a.subList(BASE.size(), a.size()));
    }

    @Test
    void ninePShares() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("data"));
        GuestSpec s = GuestSpec.builder("g").share(NinePShare.of("data", d))
                .share(NinePShare.of("ro", d).readOnly(true).securityModel(SecurityModel.NONE).multidevsRemap(false)).build();
        assertEquals(List.of(
                "-fsdev", "local,id=fs0,path=" + d + ",security_model=mapped-xattr,multidevs=remap",
                "-device", "virtio-9p-pci,id=fs0-dev,fsdev=fs0,mount_tag=data",
                "-fsdev", "local,id=fs1,path=" + d + ",security_model=none,readonly=on",
                "-device", "virtio-9p-pci,id=fs1-dev,fsdev=fs1,mount_tag=ro"), argv(s).subList(BASE.size(), BASE.size() + 8));
    }

    @Test
    void networkUserTapBridge() {
        GuestSpec s = GuestSpec.builder("g")
                .nic(NicSpec.user("n0").forward(PortForward.tcp(2222, 22)).forward(PortForward.udp(5353, 53)).restrict(true))
                .nic(NicSpec.tap("n1", "tap7").vhost(true).model(NicModel.E1000).mac("52:54:00:aa:bb:cc"))
                .nic(NicSpec.bridge("n2", "br0")).sandbox(true).build();
        List<String> a = argv(s);
        assertEquals(List.of(
                "-netdev", "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=udp:127.0.0.1:5353-:53",
                "-device", "virtio-net-pci,id=n0-nic,netdev=n0,mac=" + MacAddresses.derive("g", 0),
                "-netdev", "tap,id=n1,ifname=tap7,script=no,downscript=no,vhost=on",
                "-device", "e1000,id=n1-nic,netdev=n1,mac=52:54:00:aa:bb:cc",
                "-netdev", "bridge,id=n2,br=br0",
                "-device", "virtio-net-pci,id=n2-nic,netdev=n2,mac=" + MacAddresses.derive("g", 2)),
                a.subList(a.indexOf("-netdev"), a.size()));
        assertTrue(a.contains("on,obsolete=deny,elevateprivileges=deny,spawn=allow,resourcecontrol=deny"), "bridge helper needs spawn");
    }

    @Test
    void vncSerialQmpKernelBootFirmwareCdrom() throws Exception {
        Path k = Files.createFile(tmp.resolve("vmlinuz"));
        Path i = Files.createFile(tmp.resolve("initrd.img"));
        Path code = Files.createFile(tmp.resolve("OVMF_CODE.fd"));
        Path vars = Files.createFile(tmp.resolve("OVMF_VARS.fd"));
        Path iso = Files.createFile(tmp.resolve("install.iso"));
        Path pw = Files.createFile(tmp.resolve("pw"));
        GuestSpec s = GuestSpec.builder("g").vnc(VncSpec.loopback(3).withPasswordFile(pw))
                .qmp(QmpEndpoint.unixClient(tmp.resolve("kvmj.sock"))).qmp(QmpEndpoint.unixServer(tmp.resolve("qmp.sock")))
                .qmp(QmpEndpoint.tcp("127.0.0.1", 4444))
                .serial(SerialSpec.file(tmp.resolve("console.log"))).serial(SerialSpec.unixSocket(tmp.resolve("ttyS1.sock")))
                .serial(SerialSpec.stdio())
                .kernel(k, i, "console=ttyS0 root=/dev/vda rw, quiet").bootOrder(BootDevice.CDROM, BootDevice.DISK)
                .firmware(Firmware.ovmf(code, vars)).cdrom(CdRom.of("cd0", iso).bootIndex(2)).build();
        List<String> a = argv(s);
        assertEquals("type=q35,pflash0=fw-code,pflash1=fw-vars", a.get(a.indexOf("-machine") + 1));
        assertEquals(List.of("-display", "none",
                "-object", "secret,id=vnc-secret,file=" + pw + ",format=raw",
                "-vnc", "127.0.0.1:3,password-secret=vnc-secret",
                "-device", "VGA,id=video0",
                "-chardev", "socket,id=qmp0,path=" + tmp.resolve("kvmj.sock"),
                "-mon", "chardev=qmp0,mode=control",
                "-chardev", "socket,id=qmp1,path=" + tmp.resolve("qmp.sock") + ",server=on,wait=off",
                "-mon", "chardev=qmp1,mode=control",
                "-chardev", "socket,id=qmp2,host=127.0.0.1,port=4444,server=on,wait=off",
                "-mon", "chardev=qmp2,mode=control",
                "-chardev", "file,id=serial0,path=" + tmp.resolve("console.log"), "-serial", "chardev:serial0",
                "-chardev", "socket,id=serial1,path=" + tmp.resolve("ttyS1.sock") + ",server=on,wait=off", "-serial", "chardev:serial1",
                "-chardev", "stdio,id=serial2,signal=off", "-serial", "chardev:serial2",
                "-kernel", k.toString(), "-initrd", i.toString(), "-append", "console=ttyS0 root=/dev/vda rw, quiet",
                "-boot", "order=dc",
                "-blockdev", "driver=file,node-name=fw-code,filename=" + code + ",read-only=on",
                "-blockdev", "driver=file,node-name=fw-vars,filename=" + vars,
                "-blockdev", "driver=file,node-name=cd0-file,filename=" + iso + ",read-only=on",
                "-blockdev", "driver=raw,node-name=cd0-fmt,file=cd0-file,read-only=on",
                "-device", "ide-cd,id=cd0,drive=cd0-fmt,bootindex=2"), a.subList(a.indexOf("-display"), a.size()));
    }

    @Test
    void passthroughUsbAndVfioRngOnFakeSysfs() throws Exception {
        Path dev = Files.createDirectories(root.resolve("sys/bus/pci/devices/0000:01:00.0"));
        Files.createDirectories(root.resolve("sys/kernel/iommu_groups/7"));
        Files.createDirectories(root.resolve("sys/bus/pci/drivers/vfio-pci"));
        Files.createSymbolicLink(dev.resolve("iommu_group"), root.resolve("sys/kernel/iommu_groups/7"));
        Files.createSymbolicLink(dev.resolve("driver"), root.resolve("sys/bus/pci/drivers/vfio-pci"));
        GuestSpec s = GuestSpec.builder("g").usb(UsbHostDevice.byId(0x0781, 0x5581)).usb(UsbHostDevice.byAddress(1, 4))
                .pci(PciHostDevice.of("01:00.0")).rng(true).build();
        List<String> a = argv(s);
        assertEquals(List.of(
                "-object", "rng-random,id=rng0,filename=/dev/urandom",
                "-device", "virtio-rng-pci,id=rng0-dev,rng=rng0",
                "-device", "qemu-xhci,id=xhci0",
                "-device", "usb-host,id=usbhost0,bus=xhci0.0,vendorid=0x0781,productid=0x5581",
                "-device", "usb-host,id=usbhost1,bus=xhci0.0,hostbus=1,hostaddr=4",
                "-device", "vfio-pci,id=hostpci0,host=0000:01:00.0"), a.subList(BASE.size(), a.size()));
    }

    @Test
    void microvmUsesVirtioMmioDevices() throws Exception {
        Path img = Files.createFile(tmp.resolve("m.raw"));
        GuestSpec s = GuestSpec.builder("g").machine(MachineType.MICROVM).disk(DiskSpec.file("d", img).build())
                .nic(NicSpec.user("n")).rng(true).build();
        List<String> a = argv(s);
        assertTrue(a.contains("type=microvm"));
        assertTrue(a.contains("virtio-blk-device,id=d,drive=d-fmt,write-cache=on"), a.toString());
        assertTrue(a.contains("virtio-net-device,id=n-nic,netdev=n,mac=" + MacAddresses.derive("g", 0)));
        assertTrue(a.contains("virtio-rng-device,id=rng0-dev,rng=rng0"));
    }

    @Test
    void renderingIsStable() throws Exception {
        Path img = Files.createFile(tmp.resolve("s.raw"));
        GuestSpec s = GuestSpec.builder("g").disk(DiskSpec.file("d", img).build()).nic(NicSpec.user("n")).rng(true).build();
        assertEquals(renderer.render(s), renderer.render(s.toBuilder().build()));
    }

    @Test
    void consoleWithLogAgentChannelAndTheRuntimePartAlone() {
        Path run = tmp.resolve("run,dir"); // not created: a planned directory (the launcher's dry run)
        GuestSpec s = GuestSpec.builder("g").pidfile(run.resolve("qemu.pid"))
                .qmp(QmpEndpoint.unixServer(run.resolve("qmp.sock")))
                .serial(SerialSpec.unixSocket(run.resolve("console.sock")).withLog(run.resolve("console.log")))
                .channel(VirtioSerialChannel.guestAgent(run.resolve("qga.sock"))).build();
        String d = QemuOpts.escape("dir", run.toString());
        List<String> runtime = List.of("-chardev", "socket,id=qmp0,path=" + d + "/qmp.sock,server=on,wait=off",
                "-mon", "chardev=qmp0,mode=control",
                "-chardev", "socket,id=serial0,path=" + d + "/console.sock,server=on,wait=off,logfile=" + d
                        + "/console.log,logappend=on", "-serial", "chardev:serial0",
                "-chardev", "socket,id=channel0,path=" + d + "/qga.sock,server=on,wait=off",
                "-device", "virtio-serial-pci,id=vser0",
                "-device", "virtserialport,bus=vser0.0,chardev=channel0,name=org.qemu.guest_agent.0,id=channel0-port");
        org.junit.jupiter.api.Assertions.assertThrows(io.kvmj.core.model.InvalidSpecException.class, () -> argv(s),
                "the directory does not exist");
        QemuCommandLine planned = renderer.withHost(HostEnvironment.rootedAt(root).withPlannedDirectory(run));
        List<String> a = planned.render(s).args();
        assertEquals(runtime, a.subList(a.indexOf("-display") + 2, a.size()));
        List<String> part = new java.util.ArrayList<>(List.of("-name", "guest=g", "-pidfile", run.resolve("qemu.pid").toString()));
        part.addAll(runtime);
        assertEquals(part, planned.renderRuntimePart(s).args());
        org.junit.jupiter.api.Assertions.assertThrows(io.kvmj.core.model.InvalidSpecException.class, () ->
                GuestSpec.builder("g").channel(VirtioSerialChannel.guestAgent(run.resolve("a")))
                        .channel(VirtioSerialChannel.guestAgent(run.resolve("b"))).build());
    }
}

package io.kvmj.core.spec;

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
import io.kvmj.core.model.KernelBoot;
import io.kvmj.core.model.MachineType;
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
import io.kvmj.core.model.VirtioSerialChannel;
import io.kvmj.core.model.VncSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Varied, valid guest specs from a seed, for property tests. {@code pure} keeps every kvmj-only setting at the value
 * an import of plain libvirt XML gives (no AUTO, no QMP, backend ids "mem"/"numaN", iothreads "iothreadN", ...), so
 * such a spec must survive export and an import WITHOUT the kvmj metadata.
 */
public final class SpecGenerator {
    private final Random r;
    private final boolean pure;

    public SpecGenerator(long seed, boolean pure) {
        this.r = new Random(seed);
        this.pure = pure;
    }

    private boolean coin() { return r.nextBoolean(); }

    private <T> T pick(List<T> l) { return l.get(r.nextInt(l.size())); }

    public GuestSpec next() {
        GuestSpec.Builder b = GuestSpec.builder("g" + Integer.toString(r.nextInt(1 << 20), 36) + pick(List.of("", "-x", ".y", "_z")));
        if (pure || coin()) {
            b.uuid(new UUID(r.nextLong(), r.nextLong()));
        }
        MachineType machine = coin() ? MachineType.Q35 : MachineType.PC;
        b.machine(machine);
        b.accelerator(pure ? pick(List.of(Accelerator.KVM, Accelerator.TCG)) : pick(List.of(Accelerator.values())));
        b.cpu(pick(List.of(CpuModel.host(), CpuModel.max(), CpuModel.named("Skylake-Client"), CpuModel.named("qemu64"))));
        SmpTopology smp = new SmpTopology(0 + 1, 1, 1, 1);
        int sockets = 1 + r.nextInt(2);
        int cores = 1 + r.nextInt(2);
        int threads = 1 + r.nextInt(2);
        smp = new SmpTopology(sockets * cores * threads, sockets, cores, threads);
        b.smp(smp);
        b.memory(memory(smp.cpus()));
        if (!pure) {
            b.nodefaults(coin()).noUserConfig(coin()).sandbox(coin()).startPaused(coin());
            if (coin()) {
                b.pidfile(Path.of("/run/kvmj/x.pid"));
            }
            if (coin()) {
                b.qmp(QmpEndpoint.unixServer(Path.of("/run/kvmj/qmp.sock")));
            }
            if (coin()) {
                b.qmp(QmpEndpoint.tcp("127.0.0.1", 4444));
            }
        }
        b.noReboot(coin());
        boolean perDeviceBoot = coin();
        Map<String, Integer> iothreadNames = new LinkedHashMap<>();
        int diskCount = r.nextInt(5);
        int boardSlots = machine == MachineType.Q35 ? 6 : 3;
        int board = 0;
        int boot = 1;
        for (int i = 0; i < diskCount; i++) {
            DiskBus bus = pick(List.of(DiskBus.values()));
            if (bus == DiskBus.IDE && board >= boardSlots) {
                bus = DiskBus.VIRTIO_BLK;
            }
            if (bus == DiskBus.IDE) {
                board++;
            }
            DiskSource src = switch (r.nextInt(5)) {
                case 0 -> DiskSource.hostDevice(Path.of("/dev/vg0/lv" + i));
                case 1 -> coin() ? DiskSource.nbdTcp("127.0.0.1", 10809 + i, coin() ? "exp" + i : null)
                        : DiskSource.nbdUnix(Path.of("/run/nbd" + i + ".sock"), "e" + i);
                default -> DiskSource.file(Path.of("/var/lib/images/d" + i + (coin() ? ".qcow2" : " with, comma.img")));
            };
            boolean virtio = bus == DiskBus.VIRTIO_BLK || bus == DiskBus.VIRTIO_SCSI;
            DiskFormat fmt = pick(List.of(DiskFormat.RAW, DiskFormat.QCOW2, DiskFormat.VMDK, DiskFormat.VDI, DiskFormat.VPC));
            boolean ro = virtio && (fmt.readOnlyOnly() || coin());
            if (!virtio && fmt.readOnlyOnly()) {
                fmt = DiskFormat.QCOW2;
            }
            CacheMode cache = pick(List.of(CacheMode.values()));
            DiskSpec.Builder d = DiskSpec.builder("d" + i, src).format(fmt).bus(bus).cache(cache).readOnly(ro);
            if (!(src instanceof DiskSource.Nbd)) {
                d.aio(cache.direct() ? pick(List.of(AioMode.values())) : pick(List.of(AioMode.THREADS, AioMode.IO_URING)));
            }
            d.disposable(pure ? cache == CacheMode.UNSAFE : cache == CacheMode.UNSAFE || coin());
            if (!pure) {
                d.raidOrZfsInGuest(coin());
            }
            if (coin()) {
                d.serial(pick(List.of("S" + i, "WD-WCC4N" + i, "a b.c+d_e-" + i)));
            }
            boolean discard = coin();
            d.discard(discard);
            d.detectZeroes(discard ? pick(List.of(DetectZeroes.values())) : pick(List.of(DetectZeroes.OFF, DetectZeroes.ON)));
            if (bus != DiskBus.VIRTIO_BLK && coin()) {
                d.wwn(String.format("0x5000c500%08x", 0xdead00 + i)).rotationRate(pick(List.of(1, 5400, 7200)));
            }
            if (virtio && coin()) {
                String io = pure ? null : pick(List.of("io0", "fast", "io-b"));
                if (pure) {
                    int n = iothreadNames.size() + 1;
                    io = coin() || iothreadNames.isEmpty() ? "iothread" + n : iothreadNames.keySet().iterator().next();
                }
                iothreadNames.putIfAbsent(io, iothreadNames.size() + 1);
                d.iothread(io);
            }
            if (coin()) {
                d.blockSizes(coin() ? 512 : 4096, coin() ? null : 4096);
            }
            if (perDeviceBoot && coin()) {
                d.bootIndex(boot++);
            }
            b.disk(d.build());
        }
        int cds = r.nextInt(3);
        for (int i = 0; i < cds && board < boardSlots; i++, board++) {
            CdRom c = CdRom.of("cd" + i, Path.of("/iso/install " + i + ".iso"));
            b.cdrom(perDeviceBoot && coin() ? c.bootIndex(boot++) : c);
        }
        if (!perDeviceBoot && coin()) {
            List<BootDevice> order = new ArrayList<>(List.of(BootDevice.values()));
            java.util.Collections.shuffle(order, r);
            List<BootDevice> o = order.subList(0, 1 + r.nextInt(3));
            if (!(pure && o.equals(List.of(BootDevice.DISK)))) {
                b.bootOrder(o.toArray(BootDevice[]::new));
            }
        }
        int shares = r.nextInt(3);
        for (int i = 0; i < shares; i++) {
            b.share(new NinePShare("tag" + i + pick(List.of("", "_x", ".y")), Path.of("/srv/share" + i),
                    pick(List.of(SecurityModel.MAPPED_XATTR, SecurityModel.PASSTHROUGH, SecurityModel.NONE)), coin(), coin()));
        }
        int nics = r.nextInt(4);
        for (int i = 0; i < nics; i++) {
            NicSpec n = switch (r.nextInt(3)) {
                case 0 -> NicSpec.tap("n" + i, "tap" + i).vhost(coin());
                case 1 -> NicSpec.bridge("n" + i, "br0");
                default -> {
                    NicSpec u = NicSpec.user("n" + i);
                    if (!pure && coin()) {
                        u = u.forward(PortForward.tcp(2222 + i, 22)).restrict(coin());
                    }
                    yield u;
                }
            };
            n = n.model(coin() ? NicModel.VIRTIO_NET_PCI : NicModel.E1000);
            if (coin()) {
                n = n.mac(String.format("52:54:00:%02x:%02x:%02x", r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            }
            b.nic(n);
        }
        if (coin()) {
            b.vnc(coin() ? VncSpec.loopback(r.nextInt(10)) : VncSpec.anyAddress(r.nextInt(10)));
        }
        int serials = r.nextInt(3);
        for (int i = 0; i < serials; i++) {
            SerialSpec s = coin() ? SerialSpec.file(Path.of("/var/log/kvmj/serial" + i + ".log"))
                    : SerialSpec.unixSocket(Path.of("/run/kvmj/console" + i + ".sock"));
            b.serial(s.kind() == SerialSpec.Kind.UNIX_SOCKET && coin() ? s.withLog(Path.of("/var/log/kvmj/c" + i + ".log")) : s);
        }
        if (coin()) {
            b.kernel(KernelBoot.of(Path.of("/boot/vmlinuz"), coin() ? Path.of("/boot/initrd.img") : null,
                    coin() ? "console=ttyS0 root=\"/dev/vda 1\" a=b&c<d" : null));
        }
        if (coin()) {
            b.firmware(Firmware.ovmf(Path.of("/usr/share/OVMF/OVMF_CODE.fd"), coin() ? Path.of("/var/lib/kvmj/vars.fd") : null));
        }
        if (coin()) {
            b.usb(coin() ? UsbHostDevice.byId(0x046d, 0xc52b) : UsbHostDevice.byAddress(1, 3 + r.nextInt(5)));
        }
        if (coin()) {
            b.pci(PciHostDevice.of(pick(List.of("01:00.0", "0000:3b:00.1"))));
        }
        b.rng(coin());
        if (coin()) {
            b.channel(VirtioSerialChannel.guestAgent(Path.of("/run/kvmj/qga.sock")));
        }
        if (coin()) {
            b.channel(new VirtioSerialChannel("org.kvmj.test", Path.of("/run/kvmj/test.sock")));
        }
        return b.build();
    }

    private MemorySpec memory(int cpus) {
        int kind = r.nextInt(6); // 0 none, 1 ram, 2 memfd, 3 memfd hugetlb, 4 file hugepages, 5 file
        boolean numa = cpus > 1 && coin();
        int nodes = numa ? 1 + r.nextInt(Math.min(cpus, 3)) : 0;
        long per = 256L * (1 + r.nextInt(4));
        long size = numa ? per * nodes : per;
        MemorySpec m = MemorySpec.ofMiB(size).withMemLock(coin()).withBalloon(coin());
        boolean prealloc = coin();
        long page = coin() ? 2048 : 1048576;
        if (!numa) {
            if (kind == 0) {
                return m;
            }
            MemoryBackend.Builder bb = backend(pure ? "mem" : "ram-" + kind, size, kind, page).prealloc(prealloc).share(coin());
            if (coin()) {
                bb.hostNodes(pick(List.of(HostNodePolicy.BIND, HostNodePolicy.PREFERRED, HostNodePolicy.INTERLEAVE)), 0);
            }
            return m.withBackend(bb.build());
        }
        if (kind == 0) {
            kind = 1;
        }
        List<NumaNode> list = new ArrayList<>();
        int cpu = 0;
        for (int i = 0; i < nodes; i++) {
            int count = cpus / nodes + (i < cpus % nodes ? 1 : 0);
            MemoryBackend.Builder bb = backend(pure ? "numa" + i : "node-" + i, per, kind, page).prealloc(prealloc).share(coin());
            if (coin()) {
                bb.hostNodes(pick(List.of(HostNodePolicy.BIND, HostNodePolicy.PREFERRED, HostNodePolicy.INTERLEAVE)), i, i + 1);
            }
            list.add(new NumaNode(i, cpu, cpu + count - 1, bb.build()));
            cpu += count;
        }
        return m.withNuma(list);
    }

    private MemoryBackend.Builder backend(String id, long size, int kind, long page) {
        return switch (kind) {
            case 1 -> MemoryBackend.ram(id, size);
            case 2 -> MemoryBackend.memfd(id, size);
            case 3 -> MemoryBackend.memfd(id, size).hugetlb(page);
            case 4 -> MemoryBackend.file(id, size, Path.of(pure ? "/dev/hugepages" : "/dev/hugepages/kvmj")).hugepages(page);
            default -> MemoryBackend.file(id, size, Path.of(pure ? "/var/lib/libvirt/qemu/ram" : "/srv/mem"));
        };
    }
}

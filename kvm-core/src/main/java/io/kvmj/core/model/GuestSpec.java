package io.kvmj.core.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The complete, immutable description of one guest. Build with {@link #builder(String)}; derive a variant
 * (e.g. the launcher filling in QMP socket, serial, pidfile, resolved accelerator) with {@link #toBuilder()}.
 * Render with {@code io.kvmj.core.qemu.QemuCommandLine}.
 *
 * <p>The launcher's runtime parts are ordinary members: its pidfile, its QMP sockets (first in {@link #qmp()}),
 * its console (the first of {@link #serials()}, a socket with a log file) and the guest-agent channel in
 * {@link #channels()}; so the rendered argv is the complete one.
 *
 * <p>{@link #cloudInit()} (may be null) is rendered as a read-only CD-ROM once the launcher has set its seed path;
 * the launcher writes the seed at launch.
 *
 * <p>{@link #hotplugSlots()} spare PCIe root ports (q35 only) take hot-plugged PCI devices such as a virtio-blk disk
 * attached with {@code DiskHotplug}; see {@link Builder#hotplugSlots(int)}.
 *
 * <pre>{@code
 * GuestSpec spec = GuestSpec.builder("vm1")
 *         .accelerator(Accelerator.TCG).cpus(2).memoryMiB(1024)
 *         .disk(DiskSpec.file("root", Path.of("debian.qcow2")).format(DiskFormat.QCOW2).bus(DiskBus.VIRTIO_BLK).build())
 *         .nic(NicSpec.user("net0"))
 *         .build();
 * List<String> argv = QemuCommandLine.renderDefault(spec).argv();   // qemu-system-x86_64 -name vm1 ...
 * GuestSpec bigger = spec.toBuilder().memoryMiB(2048).build();
 * }</pre>
 */
public record GuestSpec(
        String name,
        UUID uuid,
        MachineType machine,
        Accelerator accelerator,
        CpuModel cpu,
        SmpTopology smp,
        MemorySpec memory,
        boolean nodefaults,
        boolean noUserConfig,
        boolean sandbox,
        boolean startPaused,
        boolean noReboot,
        Path pidfile,
        List<DiskSpec> disks,
        List<CdRom> cdroms,
        List<NinePShare> shares,
        List<NicSpec> nics,
        VncSpec vnc,
        List<SerialSpec> serials,
        KernelBoot kernel,
        Firmware firmware,
        List<BootDevice> bootOrder,
        List<UsbHostDevice> usbDevices,
        List<PciHostDevice> pciDevices,
        List<QmpEndpoint> qmp,
        boolean rng,
        List<VirtioSerialChannel> channels,
        CloudInitSpec cloudInit,
        String machineVersion,
        int hotplugSlots) {

    /** Most spare hot-plug root ports a guest may have (pcie.0 has 32 slots, shared with the other devices). */
    public static final int MAX_HOTPLUG_SLOTS = 16;

    public GuestSpec {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new InvalidSpecException("name", name, "empty");
        }
        machine = machine == null ? MachineType.Q35 : machine;
        accelerator = accelerator == null ? Accelerator.AUTO : accelerator;
        cpu = cpu == null ? CpuModel.max() : cpu;
        smp = smp == null ? SmpTopology.of(1) : smp;
        memory = memory == null ? MemorySpec.ofMiB(512) : memory;
        disks = List.copyOf(disks == null ? List.of() : disks);
        cdroms = List.copyOf(cdroms == null ? List.of() : cdroms);
        shares = List.copyOf(shares == null ? List.of() : shares);
        nics = List.copyOf(nics == null ? List.of() : nics);
        serials = List.copyOf(serials == null ? List.of() : serials);
        bootOrder = List.copyOf(bootOrder == null ? List.of() : bootOrder);
        usbDevices = List.copyOf(usbDevices == null ? List.of() : usbDevices);
        pciDevices = List.copyOf(pciDevices == null ? List.of() : pciDevices);
        qmp = List.copyOf(qmp == null ? List.of() : qmp);
        channels = List.copyOf(channels == null ? List.of() : channels);
        MachineType.checkVersion(machine, machineVersion);
        if (hotplugSlots < 0 || hotplugSlots > MAX_HOTPLUG_SLOTS) {
            throw new InvalidSpecException("hotplugSlots", hotplugSlots, "must be 0.." + MAX_HOTPLUG_SLOTS);
        }
        if (channels.stream().map(VirtioSerialChannel::name).distinct().count() != channels.size()) {
            throw new InvalidSpecException("channels", channels, "two channels with the same port name");
        }
    }

    /** Defaults: q35, accelerator AUTO, cpu max, 1 vCPU, 512 MiB, -nodefaults, -no-user-config, no display. */
    public static Builder builder(String name) { return new Builder(name); }

    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.uuid = uuid; b.machine = machine; b.accelerator = accelerator; b.cpu = cpu; b.smp = smp; b.memory = memory;
        b.nodefaults = nodefaults; b.noUserConfig = noUserConfig; b.sandbox = sandbox; b.startPaused = startPaused;
        b.noReboot = noReboot;
        b.pidfile = pidfile; b.disks.addAll(disks); b.cdroms.addAll(cdroms); b.shares.addAll(shares); b.nics.addAll(nics);
        b.vnc = vnc; b.serials.addAll(serials); b.kernel = kernel; b.firmware = firmware; b.bootOrder.addAll(bootOrder);
        b.usbDevices.addAll(usbDevices); b.pciDevices.addAll(pciDevices); b.qmp.addAll(qmp); b.rng = rng;
        b.channels.addAll(channels);
        b.cloudInit = cloudInit;
        b.machineVersion = machineVersion;
        b.hotplugSlots = hotplugSlots;
        return b;
    }

    /** Mutable builder for {@link GuestSpec}. */
    public static final class Builder {
        private String name;
        private UUID uuid;
        private MachineType machine = MachineType.Q35;
        private Accelerator accelerator = Accelerator.AUTO;
        private CpuModel cpu = CpuModel.max();
        private SmpTopology smp = SmpTopology.of(1);
        private MemorySpec memory = MemorySpec.ofMiB(512);
        private boolean nodefaults = true;
        private boolean noUserConfig = true;
        private boolean sandbox;
        private boolean startPaused;
        private boolean noReboot;
        private Path pidfile;
        private final List<DiskSpec> disks = new ArrayList<>();
        private final List<CdRom> cdroms = new ArrayList<>();
        private final List<NinePShare> shares = new ArrayList<>();
        private final List<NicSpec> nics = new ArrayList<>();
        private VncSpec vnc;
        private final List<SerialSpec> serials = new ArrayList<>();
        private KernelBoot kernel;
        private Firmware firmware;
        private final List<BootDevice> bootOrder = new ArrayList<>();
        private final List<UsbHostDevice> usbDevices = new ArrayList<>();
        private final List<PciHostDevice> pciDevices = new ArrayList<>();
        private final List<QmpEndpoint> qmp = new ArrayList<>();
        private boolean rng;
        private final List<VirtioSerialChannel> channels = new ArrayList<>();
        private CloudInitSpec cloudInit;
        private String machineVersion;
        private int hotplugSlots;

        private Builder(String name) { this.name = name; }

        public Builder name(String v) { name = v; return this; }
        public Builder uuid(UUID v) { uuid = v; return this; }
        public Builder machine(MachineType v) { machine = v; return this; }
        public Builder accelerator(Accelerator v) { accelerator = v; return this; }
        public Builder cpu(CpuModel v) { cpu = v; return this; }
        public Builder smp(SmpTopology v) { smp = v; return this; }
        public Builder cpus(int n) { smp = SmpTopology.of(n); return this; }
        public Builder memory(MemorySpec v) { memory = v; return this; }
        public Builder memoryMiB(long mib) { memory = MemorySpec.ofMiB(mib); return this; }
        public Builder nodefaults(boolean v) { nodefaults = v; return this; }
        public Builder noUserConfig(boolean v) { noUserConfig = v; return this; }
        /** {@code -sandbox on,...} seccomp filter (spawn stays allowed when a bridge NIC needs qemu-bridge-helper). */
        public Builder sandbox(boolean v) { sandbox = v; return this; }
        /** {@code -S}: start with vCPUs stopped (continue with QMP {@code cont}). */
        public Builder startPaused(boolean v) { startPaused = v; return this; }
        /** {@code -no-reboot}: a guest reboot (or a kernel panic with {@code panic=-1}) ends QEMU instead. */
        public Builder noReboot(boolean v) { noReboot = v; return this; }
        public Builder pidfile(Path v) { pidfile = v; return this; }
        public Builder disk(DiskSpec v) { disks.add(v); return this; }
        public Builder clearDisks() { disks.clear(); return this; }
        public Builder cdrom(CdRom v) { cdroms.add(v); return this; }
        public Builder share(NinePShare v) { shares.add(v); return this; }
        public Builder nic(NicSpec v) { nics.add(v); return this; }
        public Builder clearNics() { nics.clear(); return this; }
        public Builder vnc(VncSpec v) { vnc = v; return this; }
        public Builder serial(SerialSpec v) { serials.add(v); return this; }
        public Builder clearSerials() { serials.clear(); return this; }
        public Builder kernel(KernelBoot v) { kernel = v; return this; }
        public Builder kernel(Path kernel, Path initrd, String append) { this.kernel = new KernelBoot(kernel, initrd, append); return this; }
        public Builder firmware(Firmware v) { firmware = v; return this; }
        public Builder bootOrder(BootDevice... v) { bootOrder.clear(); bootOrder.addAll(List.of(v)); return this; }
        public Builder usb(UsbHostDevice v) { usbDevices.add(v); return this; }
        public Builder pci(PciHostDevice v) { pciDevices.add(v); return this; }
        public Builder qmp(QmpEndpoint v) { qmp.add(v); return this; }
        public Builder clearQmp() { qmp.clear(); return this; }
        public Builder rng(boolean v) { rng = v; return this; }
        /** A virtio-serial port on a unix socket, e.g. {@link VirtioSerialChannel#guestAgent(Path)}. */
        public Builder channel(VirtioSerialChannel v) { channels.add(v); return this; }
        public Builder clearChannels() { channels.clear(); return this; }
        /** Cloud-init NoCloud seed, attached read-only as CD-ROM {@value CloudInitSpec#SEED_ID} once its seed path is set. */
        public Builder cloudInit(CloudInitSpec v) { cloudInit = v; return this; }

        /**
         * The versioned board QEMU resolves {@link #machine} to, e.g. {@code pc-q35-7.2} for q35 (null: the alias,
         * QEMU's newest). Pinned by the launcher for migratable guests, so a destination gets the same board.
         */
        public Builder machineVersion(String v) { machineVersion = v; return this; }

        /**
         * Spare PCIe root ports ({@code pcie-root-port}, ids {@code hotplug0..N-1}) for PCI hot-plug on q35, where
         * the root bus itself cannot take hot-plugged devices: a q35 guest has exactly this many slots for
         * hot-plugged virtio-blk disks (default 0). On {@code pc} the value is ignored: the root bus {@code pci.0}
         * takes hot-plugged devices directly, so a pc guest has its free slots (32 minus the host bridge, ISA bridge,
         * VGA-less board devices and the guest's own PCI devices: about 25). microvm has no PCI hot-plug (a value
         * above 0 is refused there). SCSI disks need no slot: they hot-plug onto the guest's virtio-scsi controller.
         */
        public Builder hotplugSlots(int n) { hotplugSlots = n; return this; }

        public GuestSpec build() {
            return new GuestSpec(name, uuid, machine, accelerator, cpu, smp, memory, nodefaults, noUserConfig, sandbox,
                    startPaused, noReboot, pidfile, disks, cdroms, shares, nics, vnc, serials, kernel, firmware, bootOrder,
                    usbDevices, pciDevices, qmp, rng, channels, cloudInit, machineVersion, hotplugSlots);
        }
    }
}

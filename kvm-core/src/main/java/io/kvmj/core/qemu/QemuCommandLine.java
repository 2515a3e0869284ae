package io.kvmj.core.qemu;

import io.kvmj.core.host.HostEnvironment;
import io.kvmj.core.model.CdRom;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.MachineType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders a {@link GuestSpec} into a {@link QemuCommand}: validates against the host, escapes every option value
 * through {@link QemuOpts}, and emits arguments in a stable order (machine, memory, display, monitors/serials,
 * boot, disks, 9p, network, misc devices, passthrough). Throws {@link InvalidSpecException} for specs QEMU would
 * refuse or that would lose data; softer concerns become {@link Warning}s.
 */
public final class QemuCommandLine {
    /** Default binary, looked up on PATH. */
    public static final String DEFAULT_BINARY = "qemu-system-x86_64";

    private static final List<ArgRenderer> RENDERERS = List.of(
            new MachineRenderer(), new MemoryRenderer(), new DisplayRenderer(), new CharRenderer(), new BootRenderer(),
            new DiskRenderer(), new NinePRenderer(), new NetRenderer(), new MiscDeviceRenderer(), new PassthroughRenderer(),
            new HotplugSlotRenderer());

    private static final List<ArgRenderer> RUNTIME_RENDERERS = List.of(MachineRenderer::name, MachineRenderer::pidfile,
            new CharRenderer());

    private static final Logger LOG = LoggerFactory.getLogger(QemuCommandLine.class);

    private final String binary;
    private final HostEnvironment host;

    public QemuCommandLine(String binary, HostEnvironment host) {
        this.binary = Objects.requireNonNull(binary, "binary");
        this.host = Objects.requireNonNull(host, "host");
        QemuOpts.checkCarriable("binary", binary);
    }

    /** {@code qemu-system-x86_64} on the real host. */
    public static QemuCommandLine defaults() { return new QemuCommandLine(DEFAULT_BINARY, HostEnvironment.system()); }

    public QemuCommandLine withBinary(String qemuBinary) { return new QemuCommandLine(qemuBinary, host); }

    public QemuCommandLine withHost(HostEnvironment env) { return new QemuCommandLine(binary, env); }

    public String binary() { return binary; }

    /** Renders with the default binary on the real host. */
    public static QemuCommand renderDefault(GuestSpec spec) { return defaults().render(spec); }

    public QemuCommand render(GuestSpec spec) {
        return render(spec, RENDERERS);
    }

    /**
     * Renders only the runtime part of {@code spec}: {@code -name}, {@code -pidfile}, QMP monitors, serial ports and
     * virtio-serial channels, exactly as {@link #render(GuestSpec)} renders them. For launching QEMU from raw
     * arguments with kvmj's sockets, e.g.
     * <pre>{@code
     * List<String> argv = new ArrayList<>(cmd.renderRuntimePart(GuestSpec.builder("vm1").pidfile(pid)
     *         .qmp(QmpEndpoint.unixServer(sock)).build()).argv());
     * argv.addAll(List.of("-machine", "none"));
     * }</pre>
     */
    public QemuCommand renderRuntimePart(GuestSpec spec) {
        return render(spec, RUNTIME_RENDERERS);
    }

    /**
     * The QMP arguments that hot-plug {@code disk} into the running guest {@code running} (its spec as launched, with
     * the disks attached since): validated like a disk at launch (the image exists, cache/aio/O_DIRECT rules, no
     * second writer of an image the guest has open, no id in use) and rendered by the same code as its
     * {@code -blockdev}/{@code -device} arguments, so a hot-plugged disk is configured exactly like a cold-plugged one.
     * <pre>{@code
     * DiskHotplugArgs a = QemuCommandLine.defaults().renderDiskHotplug(spec, DiskSpec.file("disk1", img).build(), "hotplug0");
     * for (ObjectNode n : a.blockdevAdd()) qmp.call("blockdev-add", n);
     * qmp.call("device_add", a.deviceAdd());
     * }</pre>
     *
     * @param pciBus for a virtio-blk disk on q35, the free hot-plug root port to plug it into (one of
     *               {@link #hotplugPorts(GuestSpec)}); null on pc (QEMU picks a free slot of {@code pci.0}); ignored for
     *               SCSI disks, which go onto the guest's virtio-scsi controller ({@code scsi0}, or {@code scsi-IOTHREAD})
     * @throws InvalidSpecException for a disk that cannot be hot-plugged (IDE/SATA, virtio-blk on microvm or on q35
     *                              without a root port) or would be refused at launch
     */
    public DiskHotplugArgs renderDiskHotplug(GuestSpec running, DiskSpec disk, String pciBus) {
        Objects.requireNonNull(running, "running");
        Objects.requireNonNull(disk, "disk");
        RenderContext ctx = new RenderContext(running, host);
        String f = "disks[" + disk.id() + "]";
        if (disk.bus() == DiskBus.IDE || disk.bus() == DiskBus.SATA) {
            throw new InvalidSpecException(f + ".bus", disk.bus().name().toLowerCase(java.util.Locale.ROOT),
                    "IDE/SATA disks cannot be hot-plugged; use bus=virtio or bus=scsi");
        }
        String bus;
        if (disk.bus() == DiskBus.VIRTIO_SCSI) {
            bus = DiskRenderer.scsiController(disk) + ".0";
        } else if (running.machine() == MachineType.MICROVM) {
            throw new InvalidSpecException(f + ".bus", "virtio", "microvm has no PCI hot-plug; use bus=scsi");
        } else if (running.machine() == MachineType.Q35 && pciBus == null) {
            throw new InvalidSpecException(f + ".bus", "virtio", "no free hot-plug slot: the q35 root bus cannot take "
                    + "hot-plugged devices, and none of the guest's " + running.hotplugSlots() + " spare root port(s) is free "
                    + "(launch with more hot-plug slots, e.g. kvmj run --hotplug-slots N, or use bus=scsi)");
        } else {
            bus = pciBus;
        }
        Set<String> ids = new HashSet<>();
        Map<Path, String> writers = new HashMap<>();
        for (DiskSpec d : running.disks()) {
            ids.add(d.id());
            if (!d.readOnly() && d.source() instanceof DiskSource.File file) {
                writers.put(DiskRenderer.real(RenderContext.abs(f, file.path())), d.id());
            } else if (!d.readOnly() && d.source() instanceof DiskSource.HostDevice dev) {
                writers.put(DiskRenderer.real(RenderContext.abs(f, dev.device())), d.id());
            }
        }
        running.cdroms().stream().map(CdRom::id).forEach(ids::add);
        if (running.cloudInit() != null) {
            ids.add(io.kvmj.core.model.CloudInitSpec.SEED_ID);
        }
        DiskRenderer.validate(ctx, disk, f, ids, writers);
        DiskArgs a = DiskRenderer.args(ctx, disk, f, bus);
        return new DiskHotplugArgs(disk.id(), List.of(DiskRenderer.formatNode(disk.id()), DiskRenderer.protocolNode(disk.id())),
                List.of(a.protocol().toQmp("driver"), a.format().toQmp("driver")), a.device().toQmp("driver"), ctx.warnings);
    }

    /**
     * The ids of the spare PCIe root ports {@code spec} renders for hot-plug ({@code hotplug0..N-1} for
     * {@link GuestSpec#hotplugSlots()} N on q35; empty on pc and microvm).
     */
    public static List<String> hotplugPorts(GuestSpec spec) {
        return HotplugSlotRenderer.ports(spec);
    }

    private QemuCommand render(GuestSpec spec, List<ArgRenderer> renderers) {
        Objects.requireNonNull(spec, "spec");
        RenderContext ctx = new RenderContext(spec, host);
        ctx.argv.add(binary);
        for (ArgRenderer r : renderers) {
            r.render(ctx);
        }
        QemuCommand cmd = new QemuCommand(ctx.argv, ctx.warnings);
        LOG.debug("guest {}: {}", spec.name(), cmd.shellQuoted());
        for (Warning w : cmd.warnings()) {
            LOG.debug("guest {}: warning {}", spec.name(), w);
        }
        return cmd;
    }
}

package io.kvmj.launcher.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.PciSlot;
import io.kvmj.core.qemu.DiskHotplugArgs;
import io.kvmj.core.qemu.QemuCommandLine;
import io.kvmj.core.qemu.Warning;
import io.kvmj.launcher.SpecFile;
import io.kvmj.launcher.process.RecordLock;
import io.kvmj.qmp.EventWaiter;
import io.kvmj.qmp.QmpErrorException;
import io.kvmj.qmp.QmpJson;
import io.kvmj.qmp.QmpMonitor;
import io.kvmj.qmp.QmpTimeoutException;
import io.kvmj.qmp.command.BlockdevAdd;
import io.kvmj.qmp.command.BlockdevDel;
import io.kvmj.qmp.command.DeviceDel;
import io.kvmj.qmp.command.QomGet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Disk hot-plug on a running guest: {@link #attach} adds the disk's block nodes ({@code blockdev-add}) and its device
 * ({@code device_add}), {@link #detach} removes the device ({@code device_del}, then waits for QEMU's
 * {@code DEVICE_DELETED}) and then the block nodes it owned ({@code blockdev-del}). The QMP arguments come from
 * {@link QemuCommandLine#renderDiskHotplug}, the renderer of the launch-time {@code -blockdev}/{@code -device}, so a
 * hot-plugged disk is configured exactly as the same {@link DiskSpec} given at launch.
 *
 * <p>Where a disk goes: a SCSI disk ({@link DiskBus#VIRTIO_SCSI}) onto the guest's virtio-scsi controller
 * ({@code scsi0}; the guest has one when launched with a SCSI disk); a virtio-blk disk on q35 into a free spare root
 * port ({@code hotplug0..N-1}: a q35 guest has {@link GuestSpec#hotplugSlots()} of them, 0 unless launched with
 * {@code hotplugSlots(N)} / {@code kvmj run --hotplug-slots N}), on pc into a free slot of {@code pci.0} (about 25).
 * IDE/SATA disks cannot be hot-plugged. Removing a PCI device needs the guest OS to release it (ACPI hot-plug);
 * a SCSI disk goes at once.
 *
 * <p>With the guest's runtime directory, its recorded spec ({@code spec.json}, used by {@code kvmj migrate},
 * {@code save} and {@code export}) is rewritten atomically after each change, under the directory's
 * {@link RecordLock} (an attach holds it from choosing id and slot to recording the disk, so concurrent kvmj
 * processes lose no update). A hot-plugged virtio-blk disk is recorded with the PCI slot QEMU gave it
 * ({@link DiskSpec#pciSlot()}), so a QEMU started from the spec has it at the same address. Not thread-safe; one
 * object per operation sequence.
 * <pre>{@code
 * DiskHotplug hp = new DiskHotplug(guest.qmp(), guest.runtimeDir().path());
 * AttachedDisk d = hp.attach(DiskSpec.file(hp.nextDiskId(), Path.of("/var/vm/data.raw")).format(DiskFormat.RAW).build());
 * ...
 * hp.detach(d.drive(), Duration.ofSeconds(30));
 * }</pre>
 */
public final class DiskHotplug {
    private final QmpMonitor qmp;
    private final Path runtimeDir;
    private final QemuCommandLine renderer;

    /** Hot-plug without a recorded spec: the board is read over QMP, no {@code spec.json} is kept up to date. */
    public DiskHotplug(QmpMonitor qmp) {
        this(qmp, null, QemuCommandLine.defaults());
    }

    /**
     * Hot-plug on the guest whose runtime directory is {@code runtimeDir}: its {@code spec.json} (when it has one)
     * supplies the board, hot-plug slots and disks, and records each attach and detach.
     */
    public DiskHotplug(QmpMonitor qmp, Path runtimeDir) {
        this(qmp, runtimeDir, QemuCommandLine.defaults());
    }

    /** As {@link #DiskHotplug(QmpMonitor, Path)} with another renderer (binary or host environment). */
    public DiskHotplug(QmpMonitor qmp, Path runtimeDir, QemuCommandLine renderer) {
        this.qmp = Objects.requireNonNull(qmp, "qmp");
        this.runtimeDir = runtimeDir;
        this.renderer = Objects.requireNonNull(renderer, "renderer");
    }

    /** The recorded spec of the guest ({@code spec.json}), empty without a runtime directory or recorded spec. */
    public Optional<GuestSpec> recordedSpec() {
        return runtimeDir == null ? Optional.empty() : SpecFile.read(runtimeDir);
    }

    /** The first {@code diskN} that is neither a drive of the guest nor a disk of its recorded spec. */
    public String nextDiskId() {
        Set<String> used = new HashSet<>();
        Drives.query(qmp).forEach(d -> used.add(d.id()));
        recordedSpec().ifPresent(s -> s.disks().forEach(d -> used.add(d.id())));
        for (int i = 0; ; i++) {
            if (!used.contains("disk" + i)) {
                return "disk" + i;
            }
        }
    }

    /**
     * Hot-plugs {@code disk}. Its id becomes the drive name ({@link #nextDiskId()} gives a free one).
     *
     * @throws IllegalArgumentException  the id is in use, or the image is already open read-write in this guest
     * @throws io.kvmj.core.model.InvalidSpecException a disk that cannot be hot-plugged here (IDE/SATA, no free
     *                                   hot-plug slot, no virtio-scsi controller) or that would be refused at launch
     * @throws HotplugException          QEMU refused (its message included); nothing stays attached
     */
    public AttachedDisk attach(DiskSpec disk) {
        Objects.requireNonNull(disk, "disk");
        return runtimeDir == null ? attachUnlocked(disk) : RecordLock.locked(runtimeDir, () -> attachUnlocked(disk));
    }

    /**
     * Hot-plugs the disk {@code forId} makes for the first free drive id ({@link #nextDiskId()}), choosing the id and
     * recording the disk under the runtime directory's {@link RecordLock}: concurrent attaches by several kvmj
     * processes get distinct ids and slots, and each is recorded in {@code spec.json}.
     * <pre>{@code AttachedDisk d = hp.attachNext(id -> DiskSpec.file(id, img).format(DiskFormat.RAW).build());}</pre>
     */
    public AttachedDisk attachNext(Function<String, DiskSpec> forId) {
        Objects.requireNonNull(forId, "forId");
        Supplier<AttachedDisk> op = () -> attachUnlocked(Objects.requireNonNull(forId.apply(nextDiskId()), "disk"));
        return runtimeDir == null ? op.get() : RecordLock.locked(runtimeDir, op);
    }

    private AttachedDisk attachUnlocked(DiskSpec disk) {
        List<DriveInfo> drives = Drives.query(qmp);
        for (DriveInfo d : drives) {
            if (d.id().equals(disk.id()) || d.answersTo(disk.id() + "-fmt") || d.answersTo(disk.id() + "-file")) {
                throw new IllegalArgumentException("drive id '" + disk.id() + "' is in use in this guest; "
                    + new UnknownDriveException(disk.id(), drives).getMessage().replaceFirst("^no drive '[^']*'; ", ""));
            }
        }
        checkNotOpen(disk, drives);
        Optional<GuestSpec> recorded = recordedSpec();
        GuestSpec running = recorded.orElseGet(() -> GuestSpec.builder("running").machine(machine())
            .hotplugSlots(GuestSpec.MAX_HOTPLUG_SLOTS).build());
        String bus = null;
        if (disk.bus() == DiskBus.VIRTIO_SCSI) {
            String ctl = disk.iothread() == null ? "scsi0" : "scsi-" + disk.iothread();
            if (!deviceExists(ctl)) {
                throw new IllegalArgumentException("the guest has no virtio-scsi controller '" + ctl + "' for a SCSI "
                    + "disk (it gets one when launched with a bus=scsi disk); use bus=virtio");
            }
        } else if (running.machine() == MachineType.Q35) {
            bus = freePort(QemuCommandLine.hotplugPorts(running));
        }
        DiskHotplugArgs args = renderer.renderDiskHotplug(running, disk, bus);
        List<String> added = new ArrayList<>();
        try {
            for (ObjectNode node : args.blockdevAdd()) {
                qmp.call(new BlockdevAdd(node));
                added.add(0, node.path("node-name").asText());
            }
            qmp.call("device_add", args.deviceAdd());
        } catch (QmpErrorException e) {
            for (String node : added) {
                try {
                    qmp.call(new BlockdevDel(node));
                } catch (QmpErrorException ignored) {
                    // the original error is the one to report
                }
            }
            throw new HotplugException("cannot attach " + disk.id() + ": " + e.command() + ": " + e.description(), e);
        }
        DiskSpec placed = disk.bus() == DiskBus.VIRTIO_SCSI ? disk
            : disk.toBuilder().pciSlot(PciSlot.of(bus == null ? "pci.0" : bus, devfn(args.deviceId()))).build();
        // re-read under the lock: the spec as it is now, plus this disk
        recordedSpec().ifPresent(s -> SpecFile.write(runtimeDir, s.toBuilder().disk(placed).build()));
        return new AttachedDisk(disk.id(), args.deviceId(), args.nodeNames(), disk.bus() == DiskBus.VIRTIO_SCSI
            ? args.deviceAdd().path("bus").asText() : bus, placed, args.warnings().stream().map(Warning::toString).toList());
    }

    /** The {@code devfn} QEMU gave PCI device {@code id} ({@code qom-get addr}), null when it cannot say. */
    private Integer devfn(String id) {
        try {
            JsonNode a = qmp.call(new QomGet("/machine/peripheral/" + id, "addr"));
            return a.isInt() && a.intValue() >= 0 ? a.intValue() : null;
        } catch (QmpErrorException e) {
            return null;
        }
    }

    /**
     * Hot-unplugs {@code drive} (a drive name as {@code kvmj disk list} shows it, or one of its node names): sends
     * {@code device_del} with the {@code DEVICE_DELETED} wait armed first, waits up to {@code timeout} for the
     * guest to release the device, then deletes the block nodes the drive owned.
     *
     * @throws UnknownDriveException no such drive; the message lists the guest's drives
     * @throws HotplugException      QEMU refused, or the guest did not release the device within {@code timeout}
     *                               (the request stays pending in QEMU; the drive goes when the guest lets it go)
     */
    public void detach(String drive, Duration timeout) {
        Objects.requireNonNull(drive, "drive");
        List<DriveInfo> drives = Drives.query(qmp);
        DriveInfo d = Drives.resolve(drives, drive);
        if (d.qdev().isEmpty()) {
            throw new IllegalArgumentException("drive '" + drive + "' has no device (a block backend only)");
        }
        String id = d.id();
        List<String> nodes = new ArrayList<>();
        for (ImageLayer l : d.chain()) {
            if (l.node() != null) {
                nodes.add(l.node());
            }
            if (l.protocolNode() != null) {
                nodes.add(l.protocolNode());
            }
        }
        try (EventWaiter deleted = qmp.awaitEvent("DEVICE_DELETED", e -> id.equals(e.dataText("device")), timeout)) {
            try {
                qmp.call(new DeviceDel(id));
            } catch (QmpErrorException e) {
                throw new HotplugException("cannot detach " + id + ": device_del: " + e.description(), e);
            }
            try {
                deleted.await();
            } catch (QmpTimeoutException e) {
                throw new HotplugException("the guest did not release drive '" + id + "' within " + timeout.toSeconds()
                    + " s (no OS running, or it does not support hot-unplug); the removal stays pending in QEMU", e);
            }
        }
        Set<String> present = Drives.nodeNames(qmp);
        List<String> failed = new ArrayList<>();
        for (String node : nodes) {
            if (!present.contains(node)) {
                continue; // went with the device (not added by blockdev-add)
            }
            try {
                qmp.call(new BlockdevDel(node));
            } catch (QmpErrorException e) {
                if (!e.description().contains("owned by the monitor")) {
                    failed.add(node + ": " + e.description());
                }
            }
        }
        if (runtimeDir != null) {
            RecordLock.locked(runtimeDir, () -> recordedSpec().ifPresent(s -> {
                GuestSpec.Builder b = s.toBuilder().clearDisks();
                s.disks().stream().filter(x -> !x.id().equals(id)).forEach(b::disk);
                SpecFile.write(runtimeDir, b.build());
            }));
        }
        if (!failed.isEmpty()) {
            throw new HotplugException("drive '" + id + "' detached, but blockdev-del failed: " + String.join("; ", failed));
        }
    }

    /** The board from {@code qom-get /machine type} ({@code pc-q35-7.2-machine}, {@code microvm-machine}, ...). */
    private MachineType machine() {
        String type = qmp.call(new QomGet("/machine", "type")).asText();
        if (type.contains("q35")) {
            return MachineType.Q35;
        }
        return type.contains("microvm") ? MachineType.MICROVM : MachineType.PC;
    }

    private boolean deviceExists(String id) {
        try {
            qmp.call(new QomGet("/machine/peripheral/" + id, "type"));
            return true;
        } catch (QmpErrorException e) {
            return false;
        }
    }

    /**
     * The first of {@code ports} that exists and has no device on its bus; null when none (the renderer then refuses
     * with the reason). Read from QOM ({@code parent_bus} of every device), not {@code query-pci}, which cannot see
     * behind a bridge the firmware has not numbered yet (a guest paused before boot).
     */
    private String freePort(List<String> ports) {
        Set<String> existing = new HashSet<>();
        Set<String> usedBuses = new HashSet<>();
        for (String container : List.of("/machine/peripheral", "/machine/peripheral-anon")) {
            for (JsonNode child : qmp.call("qom-list", QmpJson.object().put("path", container))) {
                if (!child.path("type").asText().startsWith("child<")) {
                    continue;
                }
                String name = child.path("name").asText();
                String path = container + "/" + name;
                if (child.path("type").asText().equals("child<pcie-root-port>")) {
                    existing.add(name);
                }
                try {
                    usedBuses.add(qmp.call(new QomGet(path, "parent_bus")).asText());
                } catch (QmpErrorException e) {
                    // not a device on a bus
                }
            }
        }
        for (String port : ports) {
            if (existing.contains(port) && !usedBuses.contains("/machine/peripheral/" + port + "/" + port)) {
                return port;
            }
        }
        return null;
    }

    /** Refuses a second writer of an image the guest already has open (any layer of any drive). */
    private static void checkNotOpen(DiskSpec disk, List<DriveInfo> drives) {
        Path p = disk.source() instanceof DiskSource.File f ? f.path()
            : disk.source() instanceof DiskSource.HostDevice h ? h.device() : null;
        if (p == null) {
            return;
        }
        Path real = real(p);
        for (DriveInfo d : drives) {
            for (ImageLayer l : d.chain()) {
                if (l.file() != null && !l.file().startsWith("json:") && real.equals(real(Path.of(l.file())))
                    && (!disk.readOnly() || (!l.readOnly()))) {
                    throw new IllegalArgumentException(p + " is already open in this guest (drive '" + d.id()
                        + "'); two writers corrupt the image");
                }
            }
        }
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}

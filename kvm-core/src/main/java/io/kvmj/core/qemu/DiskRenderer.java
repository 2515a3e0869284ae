package io.kvmj.core.qemu;

import io.kvmj.core.model.AioMode;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.CdRom;
import io.kvmj.core.model.CloudInitSpec;
import io.kvmj.core.model.DetectZeroes;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.InvalidSpecException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Disks as {@code -blockdev} protocol node ({@code ID-file}) + format node ({@code ID-fmt}) + {@code -device ID},
 * plus controllers (virtio-scsi, ich9-ahci), iothreads and CD-ROMs. Validates cache/aio/O_DIRECT and duplicates.
 */
final class DiskRenderer implements ArgRenderer {
    static final int AHCI_PORTS = 6;

    /** Format node name of a disk, as QMP {@code query-block} reports it. */
    static String formatNode(String diskId) { return diskId + "-fmt"; }

    /** Protocol node name of a disk. */
    static String protocolNode(String diskId) { return diskId + "-file"; }

    @Override
    public void render(RenderContext ctx) {
        Set<String> ids = new HashSet<>();
        Map<Path, String> writers = new HashMap<>();
        Set<String> iothreads = new LinkedHashSet<>();
        for (DiskSpec d : ctx.spec.disks()) {
            if (d.iothread() != null) {
                iothreads.add(QemuIds.check("disks[" + d.id() + "].iothread", d.iothread()));
            }
        }
        for (String io : iothreads) {
            ctx.arg("-object", QemuOpts.of("object", "iothread").add("id", io));
        }

        Set<String> scsiControllers = new HashSet<>();
        boolean ahci = false;
        int ahciPort = 0;
        for (DiskSpec d : ctx.spec.disks()) {
            String f = "disks[" + d.id() + "]";
            validate(ctx, d, f, ids, writers);
            String bus = switch (d.bus()) {
                case VIRTIO_SCSI -> scsiController(d) + ".0";
                case SATA -> {
                    if (ahciPort >= AHCI_PORTS) {
                        throw new InvalidSpecException(f + ".bus", "SATA", "only " + AHCI_PORTS + " AHCI ports");
                    }
                    yield "ahci0." + ahciPort++;
                }
                default -> d.pciSlot() == null ? null : d.pciSlot().bus();
            };
            DiskArgs a = args(ctx, d, f, bus);
            if (d.pciSlot() != null) {
                a.device().add("addr", d.pciSlot().qemuAddr());
            }
            ctx.arg("-blockdev", a.protocol());
            ctx.arg("-blockdev", a.format());
            if (d.bus() == DiskBus.VIRTIO_SCSI && scsiControllers.add(scsiController(d))) {
                QemuOpts c = QemuOpts.of("device", ctx.virtio("scsi")).add("id", scsiController(d));
                if (d.iothread() != null) {
                    c.add("iothread", d.iothread());
                }
                ctx.arg("-device", c);
            }
            if (d.bus() == DiskBus.SATA && !ahci) {
                ctx.arg("-device", QemuOpts.of("device", "ich9-ahci").add("id", "ahci0"));
                ahci = true;
            }
            if (d.pciSlot() != null) {
                ctx.lateDevices.add(a.device()); // its bus may be a spare root port, rendered last
            } else {
                ctx.arg("-device", a.device());
            }
        }
        for (CdRom c : ctx.spec.cdroms()) {
            cdrom(ctx, c, ids, true, false);
        }
        CloudInitSpec ci = ctx.spec.cloudInit();
        if (ci != null && ci.seed() != null) {
            // the launcher writes the seed into the runtime directory at launch, after rendering (and --dry-run).
            // A CD-ROM on its own virtio-scsi controller, not ide-cd: q35's ide-cd sits on the AHCI controller,
            // which cloud kernels (Debian's linux-image-cloud-amd64) have no driver for; virtio-scsi they all have.
            cdrom(ctx, CdRom.of(CloudInitSpec.SEED_ID, ci.seed()), ids, false, true);
        }
    }

    /** The virtio-scsi controller a disk on {@link DiskBus#VIRTIO_SCSI} sits on: {@code scsi0}, or one per iothread. */
    static String scsiController(DiskSpec d) { return d.iothread() == null ? "scsi0" : "scsi-" + d.iothread(); }

    /**
     * The protocol node, format node and device of one disk, each as a {@link QemuOpts} that renders both the
     * command-line form ({@code -blockdev}, {@code -device}) and the QMP form ({@code blockdev-add},
     * {@code device_add}). {@code bus} is the device's {@code bus=} (a SCSI or AHCI bus, or a PCI slot for a
     * hot-plugged virtio-blk), null to let QEMU choose.
     */
    static DiskArgs args(RenderContext ctx, DiskSpec d, String f, String bus) {
        CacheMode c = d.cache();
        QemuOpts proto;
        if (d.source() instanceof DiskSource.File file) {
            proto = QemuOpts.keys("blockdev").add("driver", "file").add("node-name", protocolNode(d.id()))
                    .add("filename", RenderContext.absString(f + ".path", file.path())).add("aio", d.aio().qemuName());
        } else if (d.source() instanceof DiskSource.HostDevice dev) {
            proto = QemuOpts.keys("blockdev").add("driver", "host_device").add("node-name", protocolNode(d.id()))
                    .add("filename", RenderContext.absString(f + ".device", dev.device())).add("aio", d.aio().qemuName());
        } else {
            DiskSource.Nbd nbd = (DiskSource.Nbd) d.source();
            proto = QemuOpts.keys("blockdev").add("driver", "nbd").add("node-name", protocolNode(d.id()));
            if (nbd.socketPath() != null) {
                proto.add("server.type", "unix").add("server.path", RenderContext.absString(f + ".nbd.path", nbd.socketPath()));
            } else {
                // QAPI's InetSocketAddress.port is a string
                proto.add("server.type", "inet").add("server.host", nbd.host()).add("server.port", String.valueOf(nbd.port()));
            }
            proto.add("export", nbd.export());
        }
        proto.onOff("cache.direct", c.direct()).onOff("cache.no-flush", c.noFlush());
        if (d.readOnly()) {
            proto.onOff("read-only", true);
        }
        if (d.discard()) {
            proto.add("discard", "unmap");
        }

        QemuOpts fmt = QemuOpts.keys("blockdev").add("driver", d.format().driver()).add("node-name", formatNode(d.id()))
                .add("file", protocolNode(d.id())).onOff("cache.direct", c.direct()).onOff("cache.no-flush", c.noFlush());
        if (d.readOnly()) {
            fmt.onOff("read-only", true);
        }
        if (d.discard()) {
            fmt.add("discard", "unmap");
        }
        if (d.detectZeroes() != DetectZeroes.OFF) {
            fmt.add("detect-zeroes", d.detectZeroes().qemuName());
        }

        String driver = switch (d.bus()) {
            case VIRTIO_BLK -> ctx.virtio("blk");
            case VIRTIO_SCSI -> "scsi-hd";
            case IDE, SATA -> "ide-hd";
        };
        QemuOpts dev = QemuOpts.of("device", driver).add("id", d.id()).add("bus", bus).add("drive", formatNode(d.id()));
        if (d.bus() == DiskBus.VIRTIO_BLK && d.iothread() != null) {
            dev.add("iothread", d.iothread());
        }
        // an on/off/auto property: a string in QMP too
        dev.add("write-cache", d.cache().writeCache() ? "on" : "off");
        dev.add("serial", d.serial());
        if (d.bus() == DiskBus.VIRTIO_SCSI && d.serial() != null
                && d.serial().getBytes(StandardCharsets.UTF_8).length > DiskBus.SCSI_DEVICE_ID_DEFAULT_BYTES) {
            dev.add("device_id", d.serial()); // else VPD page 0x83 would show only the first 20 bytes
        }
        // a uint64 property: a JSON number in QMP, so decimal on the command line too (QEMU reads both)
        if (d.wwn() != null) {
            dev.add("wwn", Long.parseLong(d.wwn().substring(2), 16));
        }
        if (d.rotationRate() != null && d.rotationRate() != 0) {
            dev.add("rotation_rate", d.rotationRate());
        }
        dev.add("bootindex", d.bootIndex());
        dev.add("logical_block_size", d.logicalBlockSize());
        dev.add("physical_block_size", d.physicalBlockSize());
        return new DiskArgs(proto, fmt, dev);
    }

    static void validate(RenderContext ctx, DiskSpec d, String f, Set<String> ids, Map<Path, String> writers) {
        QemuIds.checkNodeName(f + ".id", formatNode(d.id()));
        QemuIds.checkNodeName(f + ".id", protocolNode(d.id()));
        if (!ids.add(d.id())) {
            throw new InvalidSpecException(f + ".id", d.id(), "duplicate disk id");
        }
        if (d.format().readOnlyOnly() && !d.readOnly()) {
            throw new InvalidSpecException(f + ".format", d.format().driver(),
                    "kvmj attaches " + d.format().driver() + " images read-only only; convert to qcow2/raw with qemu-img to write");
        }
        if (d.readOnly() && (d.bus() == DiskBus.IDE || d.bus() == DiskBus.SATA)) {
            throw new InvalidSpecException(f + ".bus", d.bus(), "ide-hd cannot use a read-only drive; use virtio-blk or virtio-scsi");
        }
        if (ctx.microvm() && (d.bus() == DiskBus.IDE || d.bus() == DiskBus.SATA)) {
            throw new InvalidSpecException(f + ".bus", d.bus(), "microvm has no IDE/AHCI; use virtio-blk or virtio-scsi");
        }
        if (d.iothread() != null && (d.bus() == DiskBus.IDE || d.bus() == DiskBus.SATA)) {
            throw new InvalidSpecException(f + ".iothread", d.iothread(), "iothreads are for virtio-blk/virtio-scsi only");
        }
        if (d.cache() == CacheMode.UNSAFE && !d.disposable()) {
            throw new InvalidSpecException(f + ".cache", "unsafe",
                    "cache=unsafe ignores guest flushes and loses data on a host crash; mark the disk disposable(true) if it is scratch");
        }
        if (d.aio() == AioMode.NATIVE && !d.cache().direct()) {
            throw new InvalidSpecException(f + ".aio", "native",
                    "aio=native requires cache.direct=on (cache none or directsync), not cache " + d.cache().qemuName());
        }
        if (d.detectZeroes() == DetectZeroes.UNMAP && !d.discard()) {
            throw new InvalidSpecException(f + ".detect-zeroes", "unmap", "detect-zeroes=unmap requires discard(true)");
        }
        if (d.bootIndex() != null && d.bootIndex() < 0) {
            throw new InvalidSpecException(f + ".bootindex", d.bootIndex(), "negative");
        }
        blockSize(f + ".logical_block_size", d.logicalBlockSize());
        blockSize(f + ".physical_block_size", d.physicalBlockSize());
        if (d.logicalBlockSize() != null && d.physicalBlockSize() != null && d.physicalBlockSize() < d.logicalBlockSize()) {
            throw new InvalidSpecException(f + ".physical_block_size", d.physicalBlockSize(), "smaller than the logical block size");
        }
        boolean safeCache = d.cache() == CacheMode.NONE || d.cache() == CacheMode.WRITETHROUGH || d.cache() == CacheMode.DIRECTSYNC;
        if (d.raidOrZfsInGuest() && !safeCache) {
            ctx.warn(f + ".cache", "the guest runs RAID/ZFS on this disk: host write caching (" + d.cache().qemuName()
                    + ") can lose acknowledged writes on power failure; use none, writethrough or directsync");
        }

        Path local = null;
        if (d.source() instanceof DiskSource.File file) {
            local = RenderContext.abs(f + ".path", file.path());
            if (!ctx.host.exists(local)) {
                throw new InvalidSpecException(f + ".path", local, "image file does not exist");
            }
            if (Files.isDirectory(local)) {
                throw new InvalidSpecException(f + ".path", local, "is a directory, not an image");
            }
        } else if (d.source() instanceof DiskSource.HostDevice dev) {
            local = RenderContext.abs(f + ".device", dev.device());
            if (!Files.exists(local)) {
                throw new InvalidSpecException(f + ".device", local, "host block device does not exist");
            }
            if (!safeCache) {
                ctx.warn(f + ".cache", "passthrough block device with host caching (" + d.cache().qemuName()
                        + "); use none, writethrough or directsync so writes are not held in the host page cache");
            }
        } else if (d.aio() != AioMode.THREADS) {
            throw new InvalidSpecException(f + ".aio", d.aio().qemuName(), "aio applies to file/host_device sources, not NBD");
        }
        if (local != null) {
            if (d.cache().direct() && !ctx.host.supportsDirectIo(local)) {
                throw new InvalidSpecException(f + ".cache", d.cache().qemuName(), "the filesystem holding " + local
                        + " does not support O_DIRECT (e.g. tmpfs); use writeback or writethrough");
            }
            if (!d.readOnly()) {
                Path key = real(local);
                String other = writers.putIfAbsent(key, d.id());
                if (other != null) {
                    throw new InvalidSpecException(f + ".path", local, "already attached read-write as disk '" + other
                            + "'; two writers corrupt the image (attach one read-only)");
                }
            }
        }
    }

    static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    private static void blockSize(String f, Integer v) {
        if (v == null) {
            return;
        }
        if (v < 512 || v > 32768 || Integer.bitCount(v) != 1) {
            throw new InvalidSpecException(f, v, "must be a power of two 512..32768");
        }
    }

    private static void cdrom(RenderContext ctx, CdRom c, Set<String> ids, boolean mustExist, boolean virtioScsi) {
        String f = virtioScsi ? "cloudInit.seed[" + c.id() + "]" : "cdroms[" + c.id() + "]";
        ctx.requireNotMicrovm(f, virtioScsi ? "virtio-scsi-pci" : "ide-cd");
        QemuIds.checkNodeName(f + ".id", formatNode(c.id()));
        if (!ids.add(c.id())) {
            throw new InvalidSpecException(f + ".id", c.id(), "duplicate disk/cdrom id");
        }
        Path iso = RenderContext.abs(f + ".iso", c.iso());
        if (mustExist && !Files.isRegularFile(iso)) {
            throw new InvalidSpecException(f + ".iso", iso, "ISO image does not exist");
        }
        ctx.arg("-blockdev", QemuOpts.keys("blockdev").add("driver", "file").add("node-name", protocolNode(c.id()))
                .add("filename", iso.toString()).onOff("read-only", true));
        ctx.arg("-blockdev", QemuOpts.keys("blockdev").add("driver", "raw").add("node-name", formatNode(c.id()))
                .add("file", protocolNode(c.id())).onOff("read-only", true));
        if (virtioScsi) {
            String ctl = c.id() + "-scsi";
            ctx.arg("-device", QemuOpts.of("device", "virtio-scsi-pci").add("id", ctl));
            ctx.arg("-device", QemuOpts.of("device", "scsi-cd").add("bus", ctl + ".0").add("id", c.id())
                    .add("drive", formatNode(c.id())).add("bootindex", c.bootIndex()));
            return;
        }
        ctx.arg("-device", QemuOpts.of("device", "ide-cd").add("id", c.id()).add("drive", formatNode(c.id())).add("bootindex", c.bootIndex()));
    }
}

package io.kvmj.core.model;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A guest disk: source (protocol node), format node, guest bus/device and its tuning. Build with
 * {@link #builder(String, DiskSource)}; {@code disposable} marks scratch disks where {@code cache=unsafe} is allowed;
 * {@code raidOrZfsInGuest} records that the guest runs RAID/ZFS on it (then only none/writethrough/directsync
 * are safe, per the NAS article). A {@code serial} longer than {@link DiskBus#maxSerialBytes()} of its bus is
 * refused ({@link InvalidSpecException}); commas are escaped and newline/NUL refused when rendered.
 *
 * <p>{@code wwn} is the disk's 64-bit World Wide Name ({@code 0x} and 16 hex digits, normalised to lower case), shown
 * to the guest in SCSI VPD page 0x83 ({@code scsi-hd}) or ATA IDENTIFY ({@code ide-hd}), so that the guest's udev
 * makes {@code /dev/disk/by-id/wwn-0x...}; virtio-blk has no WWN field and refuses one. {@code rotationRate} is the
 * SCSI/ATA medium rotation rate: {@code 1} says "non-rotating" (the guest sees an SSD, {@code rotational=0}), a
 * value from 1025 up is RPM; virtio-blk cannot carry it either.
 */
public record DiskSpec(
        String id,
        DiskSource source,
        DiskFormat format,
        DiskBus bus,
        CacheMode cache,
        AioMode aio,
        boolean readOnly,
        boolean disposable,
        boolean raidOrZfsInGuest,
        String serial,
        Integer bootIndex,
        String iothread,
        boolean discard,
        DetectZeroes detectZeroes,
        Integer logicalBlockSize,
        Integer physicalBlockSize,
        String wwn,
        Integer rotationRate,
        PciSlot pciSlot) {

    public DiskSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        format = format == null ? DiskFormat.RAW : format;
        bus = bus == null ? DiskBus.VIRTIO_BLK : bus;
        cache = cache == null ? CacheMode.WRITEBACK : cache;
        aio = aio == null ? AioMode.THREADS : aio;
        detectZeroes = detectZeroes == null ? DetectZeroes.OFF : detectZeroes;
        wwn = wwn == null ? null : normaliseWwn(id, wwn);
        if (wwn != null && bus == DiskBus.VIRTIO_BLK) {
            throw new InvalidSpecException("disks[" + id + "].wwn", wwn, "virtio-blk has no WWN; use bus VIRTIO_SCSI"
                    + " (scsi-hd shows it in VPD page 0x83, so the guest gets /dev/disk/by-id/wwn-" + wwn + ")");
        }
        if (rotationRate != null) {
            if (rotationRate < 0 || rotationRate > 0xfffe || (rotationRate > 1 && rotationRate < 0x401)) {
                throw new InvalidSpecException("disks[" + id + "].rotation_rate", rotationRate,
                        "must be 0 (not reported), 1 (non-rotating) or an RPM from 1025 to 65534");
            }
            if (bus == DiskBus.VIRTIO_BLK) {
                throw new InvalidSpecException("disks[" + id + "].rotation_rate", rotationRate,
                        "virtio-blk cannot report a rotation rate; use bus VIRTIO_SCSI");
            }
        }
        if (pciSlot != null && bus != DiskBus.VIRTIO_BLK) {
            throw new InvalidSpecException("disks[" + id + "].pciSlot", pciSlot.bus(), "only a virtio-blk disk sits in "
                    + "a PCI slot of its own");
        }
        if (serial != null) {
            if (serial.indexOf('\n') >= 0 || serial.indexOf('\r') >= 0 || serial.indexOf('\0') >= 0) {
                throw new InvalidSpecException("disks[" + id + "].serial", serial,
                        "serial of disk '" + id + "' contains a newline, carriage return or NUL, which QEMU cannot carry");
            }
            int bytes = serial.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > bus.maxSerialBytes()) {
                throw new InvalidSpecException("disks[" + id + "].serial", serial, "serial of disk '" + id + "' is "
                        + bytes + " bytes; " + bus.device() + " (bus " + bus + ") carries at most "
                        + bus.maxSerialBytes() + " bytes and QEMU would cut the rest off silently");
            }
        }
    }

    public static Builder builder(String id, DiskSource source) { return new Builder(id, source); }

    /** {@code 0x5000C500A1B2C3D4}, {@code 5000c500a1b2c3d4} or {@code naa.5000c500a1b2c3d4} as {@code 0x5000c500a1b2c3d4}. */
    static String normaliseWwn(String id, String wwn) {
        String hex = wwn.strip().toLowerCase(java.util.Locale.ROOT);
        if (hex.startsWith("naa.")) {
            hex = hex.substring(4);
        } else if (hex.startsWith("0x")) {
            hex = hex.substring(2);
        }
        if (!hex.matches("[12356][0-9a-f]{15}")) {
            throw new InvalidSpecException("disks[" + id + "].wwn", wwn, "a WWN is 16 hex digits (64 bits, e.g."
                    + " 0x5000c500a1b2c3d4) whose first digit is its NAA type 1, 2, 3, 5 or 6");
        }
        return "0x" + hex;
    }

    /** Shortcut: a file-backed disk. */
    public static Builder file(String id, Path image) { return new Builder(id, DiskSource.file(image)); }

    /**
     * This disk on another image file, everything else (bus, cache, serial, ...) kept: e.g. the overlay an external
     * snapshot switched the guest to.
     *
     * <pre>{@code
     * DiskSpec now = root.withImage(Path.of("/vm/snap1.qcow2"), DiskFormat.QCOW2);
     * }</pre>
     */
    public DiskSpec withImage(Path image, DiskFormat imageFormat) {
        return new DiskSpec(id, DiskSource.file(image), imageFormat, bus, cache, aio, readOnly, disposable,
                raidOrZfsInGuest, serial, bootIndex, iothread, discard, detectZeroes, logicalBlockSize, physicalBlockSize,
                wwn, rotationRate, pciSlot);
    }

    /**
     * This disk under another id, everything else kept: e.g. the drive name a hot-plug chose for it.
     *
     * <pre>{@code
     * DiskSpec placed = disk.withId("disk3");
     * }</pre>
     */
    public DiskSpec withId(String newId) {
        return new DiskSpec(newId, source, format, bus, cache, aio, readOnly, disposable, raidOrZfsInGuest, serial,
                bootIndex, iothread, discard, detectZeroes, logicalBlockSize, physicalBlockSize, wwn, rotationRate,
                pciSlot);
    }

    public Builder toBuilder() {
        Builder b = new Builder(id, source);
        b.format = format; b.bus = bus; b.cache = cache; b.aio = aio; b.readOnly = readOnly; b.disposable = disposable;
        b.raidOrZfsInGuest = raidOrZfsInGuest; b.serial = serial; b.bootIndex = bootIndex; b.iothread = iothread;
        b.discard = discard; b.detectZeroes = detectZeroes; b.logicalBlockSize = logicalBlockSize;
        b.physicalBlockSize = physicalBlockSize; b.wwn = wwn; b.rotationRate = rotationRate; b.pciSlot = pciSlot;
        return b;
    }

    /** Builder for {@link DiskSpec}. */
    public static final class Builder {
        private final String id;
        private final DiskSource source;
        private DiskFormat format = DiskFormat.RAW;
        private DiskBus bus = DiskBus.VIRTIO_BLK;
        private CacheMode cache = CacheMode.WRITEBACK;
        private AioMode aio = AioMode.THREADS;
        private boolean readOnly;
        private boolean disposable;
        private boolean raidOrZfsInGuest;
        private String serial;
        private Integer bootIndex;
        private String iothread;
        private boolean discard;
        private DetectZeroes detectZeroes = DetectZeroes.OFF;
        private Integer logicalBlockSize;
        private Integer physicalBlockSize;
        private String wwn;
        private Integer rotationRate;
        private PciSlot pciSlot;

        private Builder(String id, DiskSource source) {
            this.id = id;
            this.source = source;
        }

        public Builder format(DiskFormat v) { format = v; return this; }
        public Builder bus(DiskBus v) { bus = v; return this; }
        public Builder cache(CacheMode v) { cache = v; return this; }
        public Builder aio(AioMode v) { aio = v; return this; }
        public Builder readOnly(boolean v) { readOnly = v; return this; }
        public Builder disposable(boolean v) { disposable = v; return this; }
        public Builder raidOrZfsInGuest(boolean v) { raidOrZfsInGuest = v; return this; }
        public Builder serial(String v) { serial = v; return this; }
        public Builder bootIndex(Integer v) { bootIndex = v; return this; }
        /** Run this disk's I/O in the named iothread ({@code -object iothread,id=}); virtio buses only. */
        public Builder iothread(String v) { iothread = v; return this; }
        /** {@code discard=unmap}: pass guest TRIM/UNMAP down to the image. */
        public Builder discard(boolean v) { discard = v; return this; }
        public Builder detectZeroes(DetectZeroes v) { detectZeroes = v; return this; }
        public Builder blockSizes(Integer logical, Integer physical) { logicalBlockSize = logical; physicalBlockSize = physical; return this; }
        /** The 64-bit World Wide Name the guest sees ({@code 0x5000c500a1b2c3d4}); scsi-hd and ide-hd only. */
        public Builder wwn(String v) { wwn = v; return this; }
        /** SCSI/ATA rotation rate: 1 = non-rotating (SSD), 1025..65534 = RPM; scsi-hd and ide-hd only. */
        public Builder rotationRate(Integer v) { rotationRate = v; return this; }
        /**
         * The PCI slot the disk's device sits in (virtio-blk only); null (default) lets QEMU place it. Recorded by
         * disk hot-plug, so a QEMU started again from the spec has the device where the running guest has it; such
         * a disk's {@code -device} is rendered after the spare root ports.
         */
        public Builder pciSlot(PciSlot v) { pciSlot = v; return this; }

        public DiskSpec build() {
            return new DiskSpec(id, source, format, bus, cache, aio, readOnly, disposable, raidOrZfsInGuest, serial,
                    bootIndex, iothread, discard, detectZeroes, logicalBlockSize, physicalBlockSize, wwn, rotationRate,
                    pciSlot);
        }
    }
}

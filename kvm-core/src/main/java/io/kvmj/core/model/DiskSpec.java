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
        Integer physicalBlockSize) {

    public DiskSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        format = format == null ? DiskFormat.RAW : format;
        bus = bus == null ? DiskBus.VIRTIO_BLK : bus;
        cache = cache == null ? CacheMode.WRITEBACK : cache;
        aio = aio == null ? AioMode.THREADS : aio;
        detectZeroes = detectZeroes == null ? DetectZeroes.OFF : detectZeroes;
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

    /** Shortcut: a file-backed disk. */
    public static Builder file(String id, Path image) { return new Builder(id, DiskSource.file(image)); }

    public Builder toBuilder() {
        Builder b = new Builder(id, source);
        b.format = format; b.bus = bus; b.cache = cache; b.aio = aio; b.readOnly = readOnly; b.disposable = disposable;
        b.raidOrZfsInGuest = raidOrZfsInGuest; b.serial = serial; b.bootIndex = bootIndex; b.iothread = iothread;
        b.discard = discard; b.detectZeroes = detectZeroes; b.logicalBlockSize = logicalBlockSize;
        b.physicalBlockSize = physicalBlockSize;
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

        public DiskSpec build() {
            return new DiskSpec(id, source, format, bus, cache, aio, readOnly, disposable, raidOrZfsInGuest, serial,
                    bootIndex, iothread, discard, detectZeroes, logicalBlockSize, physicalBlockSize);
        }
    }
}

package io.kvmj.core.image.xen;

import io.kvmj.core.model.AioMode;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.CdRom;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns parsed Xen disks into kvmj guest-model disks: {@code phy:} devices become {@code host_device}
 * sources with cache=none and aio=native, files become {@code file} sources, {@code :cdrom} entries become
 * CD-ROMs. Xen's device names (xvda, hda, sda1) do not survive the move: every disk gets the chosen bus
 * (virtio-blk by default, so xvda becomes vda in the guest) and the Xen name is kept as the disk id and serial.
 */
public final class XenDiskMapper {
    private XenDiskMapper() {}

    /** The guest-model disks and CD-ROMs, plus notes about what changed or was left out. */
    public record Mapping(List<DiskSpec> disks, List<CdRom> cdroms, List<String> notes) {
        public Mapping {
            disks = List.copyOf(disks);
            cdroms = List.copyOf(cdroms);
            notes = List.copyOf(notes);
        }
    }

    /**
     * Maps every entry.
     *
     * @throws XenDiskException for formats kvmj does not attach (qcow v1, vhd): the message says how to convert
     */
    public static Mapping map(List<XenDisk> xen, DiskBus bus) {
        List<DiskSpec> disks = new ArrayList<>();
        List<CdRom> cdroms = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (XenDisk d : xen) {
            if (d.cdrom()) {
                if (d.empty()) {
                    notes.add("empty CD-ROM drive " + d.target() + " left out (attach an ISO later)");
                } else {
                    cdroms.add(CdRom.of(d.target(), Path.of(d.source())));
                }
                continue;
            }
            DiskFormat format = switch (d.format()) {
                case RAW -> DiskFormat.RAW;
                case QCOW2 -> DiskFormat.QCOW2;
                default -> throw new XenDiskException(d.spec(), d.format() + " images are not attached directly; convert"
                    + " first: kvmj img convert -O qcow2 " + d.source() + " NEW.qcow2");
            };
            boolean device = d.kind() == XenDiskKind.BLOCK_DEVICE;
            DiskSource source = device ? new DiskSource.HostDevice(Path.of(d.source()))
                : new DiskSource.File(Path.of(d.source()));
            DiskSpec.Builder b = DiskSpec.builder(d.target(), source).format(format).bus(bus)
                .readOnly(d.readOnly()).serial(d.target());
            if (device) {
                b.cache(CacheMode.NONE).aio(AioMode.NATIVE);
            }
            if (d.shared()) {
                notes.add(d.target() + " was shared writable (w!): only safe with a cluster filesystem in the guests;"
                    + " QEMU's image locking refuses a second writer");
            }
            if (d.target().matches("(xvd|hd|sd)[a-z]+[0-9]+")) {
                notes.add(d.target() + " was a Xen partition-style target: the guest now sees a whole disk whose"
                    + " content is that file system (no partition table)");
            }
            disks.add(b.build());
        }
        return new Mapping(disks, cdroms, notes);
    }
}

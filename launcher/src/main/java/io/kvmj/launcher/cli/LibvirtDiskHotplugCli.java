package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.image.ByteSize;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.backend.BackendDisk;
import io.kvmj.launcher.backend.BackendResize;
import io.kvmj.launcher.backend.LibvirtBackend;
import io.kvmj.launcher.backend.LibvirtDisk;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The libvirt forms of {@code disk resize}, {@code disk attach} and {@code disk detach} ({@code kvmj --connect URI
 * disk ...}) through {@link LibvirtBackend}: {@code virDomainBlockResize} BYTES, {@code virDomainAttachDeviceFlags}
 * LIVE of the {@code <disk>} kvmj's export writes (virtio-blk at the first free target dev {@code vdX}) and {@code
 * virDomainDetachDeviceFlags} LIVE, waiting {@code --timeout} seconds for the guest to release the disk. DRIVE is the
 * target dev. DISKSPEC keys with a libvirt form here: {@code path}, {@code format}, {@code bus=virtio}, {@code cache}
 * (not unsafe), {@code readonly}, {@code serial}; any other is refused (exit 2, naming it).
 * <pre>{@code kvmj -c qemu:///system disk attach vm1 path=/vm/data.qcow2,cache=none --json}</pre>
 */
final class LibvirtDiskHotplugCli {
    /** DISKSPEC keys {@code --connect disk attach} takes (the spellings of {@link GuestOptionParsers#DISK_KEYS}). */
    static final Set<String> KEYS = Set.of("path", "format", "driver.type", "bus", "target.bus", "cache",
            "driver.cache", "readonly", "serial");

    private LibvirtDiskHotplugCli() {
    }

    static int resize(DiskResizeCommand c, String uri) {
        PrintWriter out = c.disk.out();
        PrintWriter err = c.disk.err();
        try (LibvirtBackend lv = LibvirtBackend.connect(uri)) {
            long before = lv.diskCapacity(c.disk.name, lv.libvirtDisk(c.disk.name, c.disk.drive).target());
            BackendResize r;
            try {
                r = lv.diskResize(c.disk.name, c.disk.drive, c.size.apply(before), c.shrink);
            } catch (IllegalArgumentException e) {
                return LibvirtDiskCli.usage(err, "resize", e.getMessage());
            }
            LibvirtDisk after = lv.libvirtDisk(c.disk.name, c.disk.drive);
            if (c.json) {
                ObjectNode o = Json.object().put("guest", c.disk.name).put("operation", "resize");
                o.set("drive", LibvirtDiskCli.json(after, r.after()));
                o.put("oldSize", r.before()).put("newSize", r.after()).put("connect", uri);
                out.println(Json.pretty(o));
            } else if (r.before() == r.after()) {
                out.println(r.drive() + ": already " + ByteSize.ofBytes(r.before()).toHuman() + ", nothing to do");
            } else {
                out.println(r.drive() + ": " + ByteSize.ofBytes(r.before()).toHuman() + " -> "
                        + ByteSize.ofBytes(r.after()).toHuman());
            }
            out.flush();
            return ExitCodes.OK;
        } catch (GuestException e) {
            return LibvirtDiskCli.failed(err, "resize", e.getMessage());
        }
    }

    static int attach(DiskAttachCommand c, String uri) {
        PrintWriter out = c.guest.out();
        PrintWriter err = c.guest.err();
        DiskSpec disk;
        try {
            disk = disk(c.diskSpec, LibvirtSaveCli.onThisHost(uri));
        } catch (IllegalArgumentException e) {
            return LibvirtDiskCli.usage(err, "attach", e.getMessage());
        }
        try (LibvirtBackend lv = LibvirtBackend.connect(uri)) {
            BackendDisk a;
            try {
                a = lv.diskAttach(c.guest.name, disk);
            } catch (IllegalArgumentException e) {
                return LibvirtDiskCli.usage(err, "attach", e.getMessage());
            }
            LibvirtDisk after = lv.libvirtDisk(c.guest.name, a.drive());
            if (c.json) {
                ObjectNode o = Json.object().put("guest", c.guest.name).put("operation", "attach");
                o.set("drive", LibvirtDiskCli.json(after, lv.diskCapacity(c.guest.name, a.drive())));
                o.put("bus", after.bus()).put("connect", uri);
                out.println(Json.pretty(o));
            } else {
                out.println("attached " + a.drive() + " (" + after.alias() + ", virtio): " + a.file());
            }
            out.flush();
            return ExitCodes.OK;
        } catch (GuestException e) {
            return LibvirtDiskCli.failed(err, "attach", e.getMessage());
        }
    }

    static int detach(DiskDetachCommand c, String uri) {
        PrintWriter out = c.guest.out();
        PrintWriter err = c.guest.err();
        try (LibvirtBackend lv = LibvirtBackend.connect(uri)) {
            LibvirtDisk d = lv.libvirtDisk(c.guest.name, c.drive);
            lv.diskDetach(c.guest.name, d.target(), Duration.ofSeconds(c.guest.parent.timeout));
            if (c.json) {
                out.println(Json.pretty(Json.object().put("guest", c.guest.name).put("operation", "detach")
                        .put("drive", d.target()).put("file", d.file()).put("connect", uri)));
            } else {
                out.println("detached " + d.target() + (d.file() == null ? "" : " (" + d.file() + " kept)"));
            }
            out.flush();
            return ExitCodes.OK;
        } catch (GuestException e) {
            return LibvirtDiskCli.failed(err, "detach", e.getMessage());
        }
    }

    /**
     * DISKSPEC as a virtio-blk {@link DiskSpec}; on a daemon on this host the file must exist and its format is
     * probed when not given (as {@code kvmj run --disk}), with a remote URI the path must be absolute and
     * {@code format=} given.
     *
     * @throws IllegalArgumentException a key with no libvirt form here, or a bad value (one line)
     */
    static DiskSpec disk(String text, boolean onThisHost) {
        OptionString o = OptionString.parse("--disk", text, "path", GuestOptionParsers.DISK_KEYS);
        for (String k : o.asMap().keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException(k + "= is not available with --connect (DISKSPEC keys there: "
                        + "path, format, bus=virtio, cache, readonly, serial)");
            }
        }
        Optional<String> bus = one(o, "bus", "target.bus");
        if (bus.isPresent() && !bus.get().equals("virtio")) {
            throw new IllegalArgumentException("bus=" + bus.get() + " is not available with --connect (bus=virtio)");
        }
        Path path = Path.of(o.require("path"));
        boolean readOnly = o.flag("readonly", false);
        Optional<String> format = one(o, "format", "driver.type");
        DiskFormat f;
        if (onThisHost) {
            path = path.toAbsolutePath().normalize();
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("--disk: no such image file: " + path);
            }
            f = DiskOptionFormat.choose(path, format, readOnly);
        } else {
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("path= must be an absolute path on the daemon's host with a remote "
                        + "--connect URI");
            }
            f = DiskFormat.valueOf(format.map(v -> v.toUpperCase(Locale.ROOT)).filter(v -> List.of("RAW", "QCOW2")
                    .contains(v)).orElseThrow(() -> new IllegalArgumentException("give format=qcow2|raw with a remote "
                    + "--connect URI (the file is on the daemon's host)")));
        }
        DiskSpec.Builder b = DiskSpec.file("disk0", path).format(f).readOnly(readOnly);
        Optional<String> cache = one(o, "cache", "driver.cache");
        if (cache.isPresent()) {
            if (!Set.of("none", "writeback", "writethrough", "directsync").contains(cache.get())) {
                throw new IllegalArgumentException("cache=" + cache.get() + " is not available with --connect "
                        + "(none|writeback|writethrough|directsync)");
            }
            b.cache(CacheMode.valueOf(cache.get().toUpperCase(Locale.ROOT)));
        }
        o.get("serial").ifPresent(b::serial);
        try {
            return b.build();
        } catch (io.kvmj.core.model.InvalidSpecException e) {
            throw new IllegalArgumentException("--disk " + path + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> one(OptionString o, String key, String other) {
        if (o.get(key).isPresent() && o.get(other).isPresent()) {
            throw new IllegalArgumentException("--disk: give " + key + " or " + other + ", not both");
        }
        return o.get(key).or(() -> o.get(other));
    }
}

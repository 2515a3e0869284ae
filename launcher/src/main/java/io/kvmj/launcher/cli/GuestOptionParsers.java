package io.kvmj.launcher.cli;

import io.kvmj.core.model.AioMode;
import io.kvmj.core.model.BootDevice;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.CpuModel;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.image.block.BlockDevices;
import io.kvmj.core.image.block.WholeDiskRecipe;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.NicSpec;
import io.kvmj.core.model.NinePShare;
import io.kvmj.core.model.PciHostDevice;
import io.kvmj.core.model.PortForward;
import io.kvmj.core.model.SecurityModel;
import io.kvmj.core.model.UsbHostDevice;
import io.kvmj.core.model.VncSpec;
import io.kvmj.launcher.process.VncAutoport;
import io.kvmj.launcher.storage.HostDiskClaims;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns {@code kvmj run}'s virt-install style option strings into guest-model objects. Every error is an
 * {@link IllegalArgumentException} naming the option and the bad part.
 */
public final class GuestOptionParsers {
    static final Set<String> DISK_KEYS = Set.of("path", "format", "driver.type", "cache", "driver.cache", "aio", "io",
            "driver.io", "bus", "target.bus", "readonly", "serial", "disposable", "wwn", "discard", "driver.discard",
            "rotation_rate", "target.rotation_rate", "logical_block_size", "blockio.logical_block_size",
            "physical_block_size", "blockio.physical_block_size", "size");
    static final Set<String> SHARE_KEYS = Set.of("source", "tag", "security", "readonly");
    static final Set<String> NET_KEYS = Set.of("type", "user", "tap", "bridge", "none", "ifname", "mac", "hostfwd",
            "restrict");
    static final Set<String> GRAPHICS_KEYS = Set.of("type", "listen", "port", "display", "password",
            "password-file", "passwordfile");
    private static final Pattern HOSTFWD = Pattern.compile("(tcp|udp):([^:]*):(\\d+)-:(\\d+)");
    private static final Pattern USB = Pattern.compile("(?:usb:)?(?:0x)?([0-9a-fA-F]{4}):(?:0x)?([0-9a-fA-F]{4})");
    private static final Pattern PCI = Pattern.compile("(?:pci:)?((?:[0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7])");

    private GuestOptionParsers() {}

    /**
     * {@code --disk FILE} or {@code --disk path=FILE[,format=FMT][,cache=...][,aio=...][,bus=...][,readonly=on]
     * [,serial=S][,disposable=on][,size=GiB]}, with virt-install's spellings too: {@code io=}/{@code driver.io=} for {@code aio=},
     * {@code driver.type=} for {@code format=}, {@code driver.cache=} for {@code cache=}, {@code target.bus=} for
     * {@code bus=}, and quoted values
     * ({@code path="/a,b.img"}). A missing file is an error here unless {@code size=} is given: then it is created
     * at launch ({@link NewDisk}; {@link #newDisk} says which). A block device (e.g. {@code /dev/loop0})
     * is attached through {@code host_device}, a file through {@code file}. See {@link DiskOptionFormat} for
     * how the format is chosen when none is given.
     * {@code cache=unsafe} needs {@code disposable=on} (a scratch disk whose contents may be lost).
     *
     * <p>A whole host disk ({@code /dev/disk/by-id/...}, {@code /dev/sdX}, a loop device) gets the NAS recipe
     * ({@link WholeDiskRecipe}): virtio-scsi, cache=none + aio=native (writethrough where O_DIRECT is refused),
     * discard=unmap, the host's block sizes, serial, WWN and non-rotating flag; each can be overridden:
     * {@code serial=}, {@code wwn=} (loop devices have neither), {@code discard=unmap|ignore} ({@code driver.discard=}),
     * {@code rotation_rate=} ({@code target.rotation_rate=}), {@code logical_block_size=}/{@code physical_block_size=}
     * ({@code blockio.*}). A disk that is mounted, part of an md/dm array, active swap or attached to another
     * running kvmj guest is refused, naming the user ({@link HostDiskClaims}).
     *
     * <pre>{@code
     * DiskSpec d = GuestOptionParsers.disk("path=/dev/loop3,serial=NAS-D1,wwn=0x5000c500a1b2c3d4", 0);
     * }</pre>
     */
    public static DiskSpec disk(String text, int index) {
        return disk(text, index, null);
    }

    /** {@link #disk(String, int)} for the guest {@code guest}, whose own disks do not count as in use (null: none). */
    public static DiskSpec disk(String text, int index, String guest) {
        OptionString o = OptionString.parse("--disk", text, "path", DISK_KEYS);
        Path path = Path.of(o.require("path"));
        Optional<NewDisk> created = NewDisk.of(path, alias(o, "format", "driver.type"), o.get("size"));
        if (!Files.exists(path) && created.isEmpty()) {
            throw new IllegalArgumentException("--disk: no such file: " + path + " (add size=GiB to create it)");
        }
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException("--disk " + path + ": this is a directory, not an image");
        }
        boolean device = created.isEmpty() && BlockDevices.isBlockDevice(path);
        if (created.isEmpty() && !device && !Files.isRegularFile(path)) {
            throw new IllegalArgumentException("--disk " + path + ": neither an image file nor a block device"
                    + " (a character device, socket or pipe)");
        }
        boolean readOnly = o.flag("readonly", false);
        DiskSpec.Builder b;
        boolean fromHost = false;
        if (device) {
            if (!readOnly) {
                HostDiskClaims.requireFree(path, guest);
            }
            b = WholeDiskRecipe.of(new BlockDevices().inspect(path)).disk("disk" + index).raidOrZfsInGuest(false);
            fromHost = true;
        } else {
            b = DiskSpec.builder("disk" + index, DiskSource.file(path));
        }
        DiskSpec recipe = fromHost ? b.build() : null;
        b.format(created.isPresent() ? created.get().format()
                : DiskOptionFormat.choose(path, alias(o, "format", "driver.type"), readOnly));
        alias(o, "cache", "driver.cache").ifPresent(c -> b.cache(CacheMode.valueOf(
                oneOf("cache", c, Set.of("none", "writeback", "writethrough", "directsync", "unsafe"))
                        .toUpperCase(Locale.ROOT))));
        alias(o, "aio", "io", "driver.io").ifPresent(a -> b.aio(AioMode.valueOf(
                oneOf("io", a, Set.of("threads", "native", "io_uring")).toUpperCase(Locale.ROOT))));
        alias(o, "bus", "target.bus").map(v -> oneOf("bus", v, Set.of("virtio", "scsi", "ide", "sata")))
                .ifPresent(bus -> b.bus(switch (bus) {
            case "scsi" -> DiskBus.VIRTIO_SCSI;
            case "ide" -> DiskBus.IDE;
            case "sata" -> DiskBus.SATA;
            default -> DiskBus.VIRTIO_BLK;
        }));
        if (recipe != null) {
            if (alias(o, "bus", "target.bus").filter("virtio"::equals).isPresent()) {
                b.wwn(null).rotationRate(null); // the host's: virtio-blk cannot carry them
                if (recipe.serial() != null && recipe.serial().length() > DiskBus.VIRTIO_BLK.maxSerialBytes()) {
                    b.serial(null);
                }
            }
            boolean direct = alias(o, "cache", "driver.cache").map(c -> c.equals("none") || c.equals("directsync"))
                    .orElse(recipe.cache().direct());
            if (!direct && alias(o, "aio", "io", "driver.io").isEmpty()) {
                b.aio(AioMode.THREADS); // the recipe's aio=native needs O_DIRECT; the cache given has none
            }
        }
        alias(o, "discard", "driver.discard").map(v -> oneOf("discard", v, Set.of("unmap", "ignore")))
                .ifPresent(v -> b.discard(v.equals("unmap")));
        o.get("wwn").ifPresent(b::wwn);
        alias(o, "rotation_rate", "target.rotation_rate").ifPresent(v -> b.rotationRate(integer("rotation_rate", v)));
        Optional<String> lbs = alias(o, "logical_block_size", "blockio.logical_block_size");
        Optional<String> pbs = alias(o, "physical_block_size", "blockio.physical_block_size");
        if (lbs.isPresent() || pbs.isPresent()) {
            b.blockSizes(lbs.map(v -> integer("logical_block_size", v)).orElse(recipe == null ? null : recipe.logicalBlockSize()),
                    pbs.map(v -> integer("physical_block_size", v)).orElse(recipe == null ? null : recipe.physicalBlockSize()));
        }
        b.readOnly(readOnly);
        boolean disposable = o.flag("disposable", false);
        if (alias(o, "cache", "driver.cache").filter("unsafe"::equals).isPresent() && !disposable) {
            throw new IllegalArgumentException("--disk: cache=unsafe ignores guest flushes and loses data on a host "
                    + "crash; add disposable=on if " + path + " is scratch");
        }
        b.disposable(disposable);
        o.get("serial").ifPresent(b::serial);
        try {
            return b.build();
        } catch (io.kvmj.core.model.InvalidSpecException e) {
            throw new IllegalArgumentException("--disk " + path + ": " + e.getMessage(), e);
        }
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--disk: " + key + "=" + value + " is not a number");
        }
    }

    /** The image {@code --disk text} asks to create ({@code size=} on a missing file), or empty. */
    static Optional<NewDisk> newDisk(String text) {
        OptionString o = OptionString.parse("--disk", text, "path", DISK_KEYS);
        return NewDisk.of(Path.of(o.require("path")), alias(o, "format", "driver.type"), o.get("size"));
    }

    /** The value of the first of {@code keys} given; an error when two spellings of one key are given. */
    private static Optional<String> alias(OptionString o, String... keys) {
        String found = null;
        String value = null;
        for (String k : keys) {
            Optional<String> v = o.get(k);
            if (v.isPresent()) {
                if (found != null) {
                    throw new IllegalArgumentException("--disk: '" + found + "' and '" + k + "' are the same setting;"
                            + " give one");
                }
                found = k;
                value = v.get();
            }
        }
        return Optional.ofNullable(value);
    }

    private static String oneOf(String key, String value, Set<String> choices) {
        if (!choices.contains(value)) {
            throw new IllegalArgumentException("--disk: " + key + "=" + value + " is not one of "
                    + String.join("|", new java.util.TreeSet<>(choices)));
        }
        return value;
    }

    /** {@code --share HOSTDIR,tag=TAG[,security=mapped-xattr|mapped-file|passthrough|none][,readonly=on]}. */
    public static NinePShare share(String text) {
        OptionString o = OptionString.parse("--share", text, "source", SHARE_KEYS);
        Path dir = Path.of(o.require("source"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--share: not a directory: " + dir);
        }
        String tag = o.require("tag");
        SecurityModel sec = o.oneOf("security", Set.of("mapped-xattr", "mapped-file", "passthrough", "none"))
                .map(s -> SecurityModel.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_')))
                .orElse(SecurityModel.MAPPED_XATTR);
        return new NinePShare(tag, dir, sec, o.flag("readonly", false), true);
    }

    /**
     * {@code --network user[,hostfwd=tcp:ADDR:HOSTPORT-:GUESTPORT][,restrict=on][,mac=M]},
     * {@code --network tap,ifname=TAP}, {@code --network bridge=BR} or {@code --network none} (returns null).
     */
    public static NicSpec network(String text, int index) {
        OptionString o = OptionString.parse("--network", text, "type", NET_KEYS, Set.of("hostfwd"));
        String type = o.get("type").orElse(o.get("bridge").isPresent() ? "bridge" : "user");
        if (o.get("bridge").isPresent() && !type.equals("bridge")) {
            type = "bridge";
        }
        String id = "net" + index;
        NicSpec base;
        switch (type) {
            case "none":
                return null;
            case "user": {
                List<PortForward> fwd = new ArrayList<>();
                for (String h : o.all("hostfwd")) {
                    for (String f : h.split(";")) {
                        Matcher m = HOSTFWD.matcher(f);
                        if (!m.matches()) {
                            throw new IllegalArgumentException("--network: hostfwd=" + f
                                    + " is not tcp|udp:[ADDR]:HOSTPORT-:GUESTPORT");
                        }
                        fwd.add(new PortForward(m.group(1).equals("tcp") ? PortForward.Protocol.TCP
                                : PortForward.Protocol.UDP, m.group(2).isEmpty() ? "127.0.0.1" : m.group(2),
                                Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))));
                    }
                }
                for (int i = 0; i < fwd.size(); i++) {
                    for (int j = 0; j < i; j++) {
                        PortForward a = fwd.get(i);
                        PortForward b = fwd.get(j);
                        if (a.protocol() == b.protocol() && a.hostPort() == b.hostPort()
                                && a.hostAddress().equals(b.hostAddress())) {
                            throw new IllegalArgumentException("--network: host port " + a.hostAddress() + ":"
                                    + a.hostPort() + " is forwarded twice");
                        }
                    }
                }
                base = NicSpec.user(id);
                return new NicSpec(id, base.kind(), base.model(), o.get("mac").orElse(null), fwd,
                        o.flag("restrict", false), null, false, null);
            }
            case "tap":
                base = NicSpec.tap(id, o.require("ifname"));
                break;
            case "bridge":
                base = NicSpec.bridge(id, o.require("bridge"));
                break;
            default:
                throw new IllegalArgumentException("--network: unknown type '" + type + "' (user, tap, bridge, none)");
        }
        String mac = o.get("mac").orElse(null);
        return mac == null ? base : new NicSpec(id, base.kind(), base.model(), mac, base.forwards(), base.restrict(),
                base.ifname(), base.vhost(), base.bridge());
    }

    /**
     * {@code --graphics none} (null) or {@code --graphics vnc[,listen=ADDR][,port=5900+N|display=N]
     * [,password=PW|password-file=FILE]}. Without a port or display the first free display from 0 on is taken
     * (libvirt's autoport, see {@link VncAutoport}). A listener off loopback needs a password: {@code password=}
     * (virt-install's key; kvmj hands it to QEMU through a private file, never on QEMU's command line) or
     * {@code password-file=FILE} (QEMU reads the file).
     */
    public static VncSpec graphics(String text) {
        OptionString o = OptionString.parse("--graphics", text, "type", GRAPHICS_KEYS);
        String type = o.get("type").orElse("vnc");
        if (type.equals("none")) {
            return null;
        }
        if (!type.equals("vnc")) {
            throw new IllegalArgumentException("--graphics: only vnc or none are supported, not '" + type + "'");
        }
        String listen = o.get("listen").orElse("127.0.0.1");
        if (o.get("password-file").isPresent() && o.get("passwordfile").isPresent()) {
            throw new IllegalArgumentException("--graphics: 'password-file' and 'passwordfile' are the same setting; give one");
        }
        Path password = o.get("password-file").or(() -> o.get("passwordfile")).map(Path::of).orElse(null);
        if (password != null && !Files.isRegularFile(password)) {
            throw new IllegalArgumentException("--graphics: password-file=" + password + ": no such file");
        }
        String secret = o.get("password").orElse(null);
        if (secret != null && password != null) {
            throw new IllegalArgumentException("--graphics: give password= or password-file=, not both");
        }
        if (secret != null && secret.isEmpty()) {
            throw new IllegalArgumentException("--graphics: password= is empty");
        }
        requirePasswordOffLoopback(new VncSpec(listen, 0, password, secret)); // before probing ports
        int display;
        if (o.get("display").isPresent()) {
            display = parseInt("--graphics", "display", o.require("display"));
        } else if (o.get("port").isPresent()) {
            int port = parseInt("--graphics", "port", o.require("port"));
            if (port < 5900) {
                throw new IllegalArgumentException("--graphics: port=" + port + " must be 5900 or more (VNC display "
                        + "= port - 5900)");
            }
            display = port - 5900;
        } else {
            display = VncAutoport.freeDisplay(listen).orElseThrow(() -> new IllegalArgumentException("--graphics: "
                    + "no free VNC port in 5900-" + (5900 + VncAutoport.MAX_DISPLAYS - 1) + " on " + listen
                    + "; give port="));
        }
        return new VncSpec(listen, display, password, secret);
    }

    /**
     * {@code vnc} itself when it listens on loopback or has a password; else the one-line refusal (a VNC listener
     * reachable from other machines without a password gives the guest's screen and keyboard to anyone).
     */
    public static VncSpec requirePasswordOffLoopback(VncSpec vnc) {
        if (vnc != null && !vnc.hasPassword() && !VncAutoport.loopback(vnc.host())) {
            throw new IllegalArgumentException("--graphics: VNC on listen=" + vnc.host() + " is reachable from other "
                    + "machines: give password=PW or password-file=FILE");
        }
        return vnc;
    }

    /** {@code usb:VID:PID} (hex) or {@code pci:BDF} ({@code [DDDD:]BB:DD.F}); returns the model object. */
    public static Object hostdev(String text) {
        Matcher u = USB.matcher(text);
        if (text.startsWith("usb:") && u.matches()) {
            return UsbHostDevice.byId(Integer.parseInt(u.group(1), 16), Integer.parseInt(u.group(2), 16));
        }
        Matcher p = PCI.matcher(text);
        if (p.matches()) {
            String bdf = p.group(1);
            return PciHostDevice.of(bdf.length() == 7 ? "0000:" + bdf : bdf);
        }
        if (u.matches()) {
            return UsbHostDevice.byId(Integer.parseInt(u.group(1), 16), Integer.parseInt(u.group(2), 16));
        }
        throw new IllegalArgumentException("--hostdev: '" + text + "' is neither usb:VID:PID nor pci:[DDDD:]BB:DD.F");
    }

    /**
     * {@code --cpu MODEL}, virt-install's spellings: {@code host-passthrough} (also {@code host}, and
     * {@code host-model}, which plain QEMU has no separate form of) is QEMU's {@code -cpu host} and needs KVM;
     * {@code max} gives every feature the accelerator can (under TCG too); any other name is a QEMU model
     * ({@code qemu-system-x86_64 -cpu help}). Feature lists ({@code MODEL,+vmx}) are refused.
     */
    public static CpuModel cpu(String text) {
        if (text.contains(",")) {
            throw new IllegalArgumentException("--cpu " + text + ": CPU feature lists are not supported; give a model "
                    + "(host-passthrough, max, or a name from qemu-system-x86_64 -cpu help)");
        }
        return switch (text) {
            case "host-passthrough", "host-model", "host" -> CpuModel.host();
            case "max" -> CpuModel.max();
            default -> {
                try {
                    yield CpuModel.named(text);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("--cpu " + text + ": not a CPU model name");
                }
            }
        };
    }

    /** {@code --boot hd,cdrom,network} (virt-install names; also c, d, n). */
    public static BootDevice[] boot(String text) {
        BootDevice[] order = Arrays.stream(text.split(",", -1)).map(s -> switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "hd", "disk", "c" -> BootDevice.DISK;
            case "cdrom", "d" -> BootDevice.CDROM;
            case "network", "net", "n" -> BootDevice.NETWORK;
            default -> throw new IllegalArgumentException("--boot: unknown device '" + s + "' (hd, cdrom, network)");
        }).toArray(BootDevice[]::new);
        if (Arrays.stream(order).distinct().count() != order.length) {
            throw new IllegalArgumentException("--boot " + text + ": a device is named twice");
        }
        return order;
    }

    private static int parseInt(String option, String key, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": " + key + "=" + v + " is not a number");
        }
    }
}

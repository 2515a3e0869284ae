package io.kvmj.core.libvirt;

import io.kvmj.core.model.AioMode;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.CdRom;
import io.kvmj.core.model.DetectZeroes;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MacAddresses;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.NicModel;
import io.kvmj.core.model.NicSpec;
import io.kvmj.core.model.NinePShare;
import io.kvmj.core.model.SecurityModel;
import io.kvmj.core.model.SerialSpec;
import io.kvmj.core.model.VirtioSerialChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.w3c.dom.Element;

/** The {@code <devices>} part of {@link DomainXmlReader}. */
final class DeviceXmlReader {
    private final DomainXmlReader r;
    private final Seen seen;
    private final Element devices;
    private final String name;
    private final GuestSpec.Builder b;
    private final Map<Integer, String> scsiIothread = new HashMap<>();
    private final Map<Integer, String> scsiModel = new HashMap<>();
    private int nicIndex;
    private int diskIndex;
    private int cdIndex;
    private int serialCount;
    /** libvirt adds a virtio balloon unless told {@code model='none'}. */
    boolean balloon = true;

    DeviceXmlReader(DomainXmlReader r, Element devices, String name, GuestSpec.Builder b) {
        this.r = r;
        this.seen = r.seen;
        this.devices = devices;
        this.name = name;
        this.b = b;
    }

    void read() {
        seen.child(devices, "emulator");
        for (Element c : seen.all(devices, "controller")) {
            controller(c);
        }
        for (Element d : seen.all(devices, "disk")) {
            disk(d);
        }
        for (Element f : seen.all(devices, "filesystem")) {
            filesystem(f);
        }
        for (Element i : seen.all(devices, "interface")) {
            nic(i);
        }
        for (Element s : seen.all(devices, "serial")) {
            serial(s);
        }
        for (Element c : seen.all(devices, "console")) {
            String t = seen.attr(seen.child(c, "target"), "type");
            if (serialCount > 0 && (t == null || t.equals("serial"))) {
                seen.useAll(c); // libvirt's mirror of the first serial port
            } else {
                seen.use(c);
                r.notes.add(new LibvirtNote("/domain/devices/console", "not imported (kvmj's console is the first serial port)"));
                seen.useAll(c);
            }
        }
        for (Element c : seen.all(devices, "channel")) {
            channel(c);
        }
        DisplayHostdevXmlReader gh = new DisplayHostdevXmlReader(r, devices, b);
        gh.graphics();
        gh.hostdevs();
        memballoon();
        for (Element rng : seen.all(devices, "rng")) {
            String model = seen.attr(rng, "model");
            Element be = seen.child(rng, "backend");
            String bm = seen.attr(be, "model");
            if ("virtio".equals(model) && "random".equals(bm)) {
                b.rng(true);
                if (!"/dev/urandom".equals(be.getTextContent().trim())) {
                    r.notes.add(new LibvirtNote("/domain/devices/rng/backend", "'" + be.getTextContent().trim() + "' imported as /dev/urandom"));
                }
                seen.useAll(seen.child(rng, "alias"));
                seen.useAll(seen.child(rng, "address"));
            } else {
                r.notes.add(new LibvirtNote("/domain/devices/rng", "backend '" + bm + "' not imported (kvmj feeds virtio-rng from /dev/urandom)"));
                seen.useAll(rng);
            }
        }
        for (Element in : seen.all(devices, "input")) {
            String bus = in.getAttribute("bus");
            if (bus.equals("ps2")) {
                seen.useAll(in); // built into the x86 board
            } else {
                seen.useAll(in);
                r.notes.add(new LibvirtNote("/domain/devices/input[@bus='" + bus + "']", "not imported (kvmj adds no input devices)"));
            }
        }
        for (Element a : seen.all(devices, "audio")) {
            if ("none".equals(a.getAttribute("type"))) {
                seen.useAll(a);
            } else {
                seen.use(a);
            }
        }
    }

    private void controller(Element c) {
        String type = seen.attr(c, "type");
        int index = r.intAttr(c, "index", 0);
        String model = seen.attr(c, "model");
        seen.useAll(seen.child(c, "alias"));
        seen.useAll(seen.child(c, "address"));
        switch (type == null ? "" : type) {
            case "pci", "virtio-serial" -> seen.useAll(c); // placed by libvirt; kvmj's QEMU places its own
            case "scsi" -> {
                scsiModel.put(index, model == null ? "default" : model);
                Element drv = seen.child(c, "driver");
                String io = seen.attr(drv, "iothread");
                if (io != null) {
                    scsiIothread.put(index, "iothread" + io);
                }
            }
            case "sata", "ide" -> { }
            case "usb" -> {
                if (model != null && !model.equals("none") && !model.equals("qemu-xhci")) {
                    r.notes.add(new LibvirtNote("/domain/devices/controller[@type='usb']", "model '" + model
                            + "' not imported: kvmj adds qemu-xhci only for passed-through USB devices"));
                }
                seen.useAll(c);
            }
            default -> { seen.useAll(c); r.notes.add(new LibvirtNote("/domain/devices/controller[@type='" + type + "']", "not imported")); }
        }
    }

    private String id(Element dev, String fallback) {
        Element alias = seen.child(dev, "alias");
        String a = seen.attr(alias, "name");
        if (a != null && a.startsWith(DomainXml.USER_ALIAS_PREFIX) && a.length() > DomainXml.USER_ALIAS_PREFIX.length()) {
            return a.substring(DomainXml.USER_ALIAS_PREFIX.length());
        }
        return fallback;
    }

    private void disk(Element d) {
        String device = seen.attr(d, "device");
        device = device == null ? "disk" : device;
        String type = seen.attr(d, "type");
        Element target = seen.child(d, "target");
        String dev = seen.attr(target, "dev");
        String bus = seen.attr(target, "bus");
        String where = "/domain/devices/disk[target/@dev='" + dev + "']";
        Element src = seen.child(d, "source");
        seen.attr(src, "index");
        seen.useAll(seen.child(d, "backingStore"));
        Element driver = seen.child(d, "driver");
        seen.attr(driver, "name");
        String fmt = seen.attr(driver, "type");
        if (device.equals("cdrom")) {
            String file = seen.attr(src, "file");
            seen.child(d, "readonly");
            Integer boot = bootOrder(d);
            String id = id(d, "cd" + cdIndex++);
            seen.useAll(seen.child(d, "address"));
            if (file == null || !"file".equals(type)) {
                r.notes.add(new LibvirtNote(where, "CD-ROM without an image file not imported"));
                return;
            }
            b.cdrom(new CdRom(id, Path.of(file), boot));
            return;
        }
        if (!device.equals("disk")) {
            seen.useAll(d);
            r.notes.add(new LibvirtNote(where, "device '" + device + "' not imported (kvmj attaches disks and CD-ROMs)"));
            return;
        }
        DiskSource source = source(d, type, src, where);
        if (source == null) {
            seen.useAll(d);
            return;
        }
        DiskFormat format = format(fmt == null ? "raw" : fmt);
        if (format == null) {
            seen.useAll(d);
            r.notes.add(new LibvirtNote(where, "format '" + fmt + "' not imported (kvmj: raw, qcow2, vmdk, vdi, vhdx, vpc)"));
            return;
        }
        String id = id(d, "disk" + diskIndex++);
        DiskSpec.Builder db = DiskSpec.builder(id, source).format(format);
        String cache = seen.attr(driver, "cache");
        if (cache != null && !cache.equals("default")) {
            db.cache(CacheMode.valueOf(cache.toUpperCase(Locale.ROOT)));
            db.disposable(cache.equals("unsafe"));
            if (cache.equals("unsafe")) {
                r.notes.add(new LibvirtNote(where + "/driver/@cache", DomainXmlReader.UNSAFE_NOTE + " (kvmj runs cache=unsafe only on those)"));
            }
        }
        String io = seen.attr(driver, "io");
        if (io != null && !io.equals("default")) {
            db.aio(switch (io) {
                case "native" -> AioMode.NATIVE;
                case "io_uring" -> AioMode.IO_URING;
                default -> AioMode.THREADS;
            });
        }
        db.discard("unmap".equals(seen.attr(driver, "discard")));
        String dz = seen.attr(driver, "detect_zeroes");
        if (dz != null) {
            db.detectZeroes(DetectZeroes.valueOf(dz.toUpperCase(Locale.ROOT)));
        }
        String io2 = seen.attr(driver, "iothread");
        if (io2 != null) {
            db.iothread("iothread" + io2);
        }
        db.readOnly(seen.child(d, "readonly") != null);
        db.serial(seen.text(d, "serial"));
        db.wwn(seen.text(d, "wwn"));
        String rotation = seen.attr(target, "rotation_rate");
        if (rotation != null) {
            db.rotationRate(Integer.valueOf(rotation));
        }
        db.bootIndex(bootOrder(d));
        Element bio = seen.child(d, "blockio");
        if (bio != null) {
            String l = seen.attr(bio, "logical_block_size");
            String p = seen.attr(bio, "physical_block_size");
            db.blockSizes(l == null ? null : Integer.valueOf(l), p == null ? null : Integer.valueOf(p));
        }
        Element addr = seen.child(d, "address");
        int controller = 0;
        if (addr != null && "drive".equals(addr.getAttribute("type"))) {
            controller = Integer.parseInt(addr.getAttribute("controller").isEmpty() ? "0" : addr.getAttribute("controller"));
        }
        seen.useAll(addr);
        DiskBus kb;
        switch (bus == null ? guessBus(dev) : bus) {
            case "virtio" -> kb = DiskBus.VIRTIO_BLK;
            case "scsi" -> {
                kb = DiskBus.VIRTIO_SCSI;
                String model = scsiModel.getOrDefault(controller, "default");
                if (!model.equals("virtio-scsi")) {
                    r.notes.add(new LibvirtNote(where, "on a '" + model + "' SCSI controller: imported on virtio-scsi"));
                }
                if (scsiIothread.containsKey(controller)) {
                    db.iothread(scsiIothread.get(controller));
                }
            }
            case "sata" -> kb = r.machine == MachineType.Q35 && controller == 0 ? DiskBus.IDE : DiskBus.SATA;
            case "ide" -> kb = DiskBus.IDE;
            default -> {
                seen.useAll(d);
                r.notes.add(new LibvirtNote(where, "bus '" + bus + "' not imported (kvmj: virtio, scsi, sata, ide)"));
                return;
            }
        }
        db.bus(kb);
        try {
            b.disk(db.build());
        } catch (RuntimeException e) {
            r.notes.add(new LibvirtNote(where, "not imported: " + e.getMessage()));
        }
    }

    private static String guessBus(String dev) {
        if (dev == null) {
            return "";
        }
        if (dev.startsWith("vd")) {
            return "virtio";
        }
        if (dev.startsWith("sd")) {
            return "scsi";
        }
        return dev.startsWith("hd") ? "ide" : "";
    }

    private DiskSource source(Element d, String type, Element src, String where) {
        switch (type == null ? "file" : type) {
            case "file" -> {
                String f = seen.attr(src, "file");
                if (f == null) {
                    r.notes.add(new LibvirtNote(where, "disk without a source file not imported"));
                    return null;
                }
                return DiskSource.file(Path.of(f));
            }
            case "block" -> {
                return DiskSource.hostDevice(Path.of(seen.attr(src, "dev")));
            }
            case "network" -> {
                String proto = seen.attr(src, "protocol");
                if (!"nbd".equals(proto)) {
                    r.notes.add(new LibvirtNote(where, "network protocol '" + proto + "' not imported (kvmj: nbd)"));
                    return null;
                }
                String export = seen.attr(src, "name");
                Element host = seen.child(src, "host");
                if (host == null) {
                    r.notes.add(new LibvirtNote(where, "nbd without a host not imported"));
                    return null;
                }
                if ("unix".equals(seen.attr(host, "transport"))) {
                    return DiskSource.nbdUnix(Path.of(seen.attr(host, "socket")), export);
                }
                String port = seen.attr(host, "port");
                return DiskSource.nbdTcp(seen.attr(host, "name"), port == null ? 10809 : Integer.parseInt(port), export);
            }
            default -> {
                r.notes.add(new LibvirtNote(where, "disk type '" + type + "' not imported (kvmj: file, block, network/nbd)"));
                return null;
            }
        }
    }

    private static DiskFormat format(String t) {
        for (DiskFormat f : DiskFormat.values()) {
            if (f.driver().equals(t)) {
                return f;
            }
        }
        return null;
    }

    private Integer bootOrder(Element dev) {
        Element boot = seen.child(dev, "boot");
        String o = seen.attr(boot, "order");
        return o == null ? null : Integer.valueOf(o);
    }

    private void filesystem(Element f) {
        String type = seen.attr(f, "type");
        Element target = seen.child(f, "target");
        String tag = seen.attr(target, "dir");
        String where = "/domain/devices/filesystem[target/@dir='" + tag + "']";
        Element driver = seen.child(f, "driver");
        String dtype = seen.attr(driver, "type");
        if ((type != null && !type.equals("mount")) || (dtype != null && !dtype.equals("path") && !dtype.equals("handle"))) {
            seen.useAll(f);
            r.notes.add(new LibvirtNote(where, "type '" + type + "' driver '" + dtype + "' not imported (kvmj shares over virtio-9p)"));
            return;
        }
        String mode = seen.attr(f, "accessmode");
        SecurityModel sm = switch (mode == null ? "passthrough" : mode) {
            case "mapped" -> SecurityModel.MAPPED_XATTR;
            case "squash" -> SecurityModel.NONE;
            default -> SecurityModel.PASSTHROUGH;
        };
        String multidevs = seen.attr(f, "multidevs");
        if ("forbid".equals(multidevs)) {
            r.notes.add(new LibvirtNote(where + "/@multidevs", "forbid not imported: kvmj has remap or QEMU's default (warn)"));
        }
        String dir = seen.attr(seen.child(f, "source"), "dir");
        seen.useAll(seen.child(f, "alias"));
        seen.useAll(seen.child(f, "address"));
        try {
            b.share(new NinePShare(tag, Path.of(dir), sm, seen.child(f, "readonly") != null, "remap".equals(multidevs)));
        } catch (RuntimeException e) {
            r.notes.add(new LibvirtNote(where, "not imported: " + e.getMessage()));
        }
    }

    private void nic(Element i) {
        String type = seen.attr(i, "type");
        int index = nicIndex;
        String mac = seen.attr(seen.child(i, "mac"), "address");
        String where = "/domain/devices/interface[mac/@address='" + mac + "']";
        Element model = seen.child(i, "model");
        String mt = seen.attr(model, "type");
        NicModel nm = NicModel.VIRTIO_NET_PCI;
        if ("e1000".equals(mt)) {
            nm = NicModel.E1000;
        } else if (mt != null && !mt.equals("virtio")) {
            r.notes.add(new LibvirtNote(where + "/model", "'" + mt + "' imported as virtio (kvmj: virtio, e1000)"));
        }
        String id = id(i, "net" + index);
        seen.useAll(seen.child(i, "address"));
        NicSpec n;
        switch (type == null ? "" : type) {
            case "user" -> n = NicSpec.user(id);
            case "ethernet" -> {
                Element t = seen.child(i, "target");
                String dev = seen.attr(t, "dev");
                seen.attr(t, "managed");
                if (dev == null) {
                    r.notes.add(new LibvirtNote(where, "ethernet without a target tap device not imported"));
                    return;
                }
                n = NicSpec.tap(id, dev).vhost("vhost".equals(seen.attr(seen.child(i, "driver"), "name")));
            }
            case "bridge" -> {
                n = NicSpec.bridge(id, seen.attr(seen.child(i, "source"), "bridge"));
                seen.useAll(seen.child(i, "target"));
            }
            default -> {
                seen.useAll(i);
                r.notes.add(new LibvirtNote(where, "interface type '" + type + "' not imported (kvmj: user, ethernet/tap, bridge)"));
                return;
            }
        }
        nicIndex++;
        n = n.model(nm);
        if (mac != null) {
            String m = mac.toLowerCase(Locale.ROOT);
            n = n.mac(m.equals(MacAddresses.derive(name, index)) ? null : m); // kvmj derives this very MAC itself
        }
        b.nic(n);
    }

    private void serial(Element s) {
        String type = seen.attr(s, "type");
        Element src = seen.child(s, "source");
        String path = seen.attr(src, "path");
        Element log = seen.child(s, "log");
        String logFile = seen.attr(log, "file");
        seen.attr(log, "append");
        Element target = seen.child(s, "target");
        seen.attr(target, "type");
        seen.attr(target, "port");
        seen.useAll(seen.child(target, "model"));
        seen.useAll(seen.child(s, "alias"));
        String where = "/domain/devices/serial[@type='" + type + "']";
        SerialSpec sp;
        switch (type == null ? "" : type) {
            case "file" -> sp = SerialSpec.file(Path.of(path));
            case "unix" -> {
                if (!"bind".equals(seen.attr(src, "mode"))) {
                    r.notes.add(new LibvirtNote(where, "unix client mode not imported (kvmj's serial sockets listen)"));
                    return;
                }
                sp = SerialSpec.unixSocket(Path.of(path));
            }
            default -> {
                seen.useAll(s);
                r.notes.add(new LibvirtNote(where, "not imported (kvmj serial ports: file, unix socket)"));
                return;
            }
        }
        serialCount++;
        b.serial(logFile == null ? sp : sp.withLog(Path.of(logFile)));
    }

    private void channel(Element c) {
        String type = seen.attr(c, "type");
        Element t = seen.child(c, "target");
        String tt = seen.attr(t, "type");
        String portName = seen.attr(t, "name");
        seen.attr(t, "state");
        Element src = seen.child(c, "source");
        String path = seen.attr(src, "path");
        seen.attr(src, "mode");
        seen.useAll(seen.child(c, "alias"));
        seen.useAll(seen.child(c, "address"));
        if (!"unix".equals(type) || !"virtio".equals(tt) || path == null || portName == null) {
            seen.useAll(c);
            r.notes.add(new LibvirtNote("/domain/devices/channel[@type='" + type + "']", "not imported (kvmj channels: "
                    + "virtio ports on a unix socket with a path)"));
            return;
        }
        b.channel(new VirtioSerialChannel(portName, Path.of(path)));
    }

    static String orZero(String s) { return s == null ? "0" : s; }

    private void memballoon() {
        Element mb = seen.child(devices, "memballoon");
        boolean on = true; // libvirt adds a virtio balloon unless told model='none'
        if (mb != null) {
            String model = seen.attr(mb, "model");
            on = !"none".equals(model);
            seen.useAll(seen.child(mb, "alias"));
            seen.useAll(seen.child(mb, "address"));
            seen.useAll(seen.child(mb, "stats"));
        }
        balloon = on;
    }
}

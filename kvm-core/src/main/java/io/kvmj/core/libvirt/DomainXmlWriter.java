package io.kvmj.core.libvirt;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.BootDevice;
import io.kvmj.core.model.CdRom;
import io.kvmj.core.model.CpuModel;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.NinePShare;
import io.kvmj.core.model.NumaNode;
import io.kvmj.core.model.PciHostDevice;
import io.kvmj.core.model.UsbHostDevice;
import io.kvmj.core.model.VirtioSerialChannel;
import io.kvmj.core.spec.GuestSpecJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@link GuestSpec} → libvirt domain XML (see {@link DomainXml#export}). */
final class DomainXmlWriter {
    private final GuestSpec s;
    private final Accelerator resolved;
    private final List<LibvirtNote> notes = new ArrayList<>();
    private final List<LibvirtNote> refusals = new ArrayList<>();
    private final Map<String, Integer> iothreads = new LinkedHashMap<>();
    private Document doc;

    DomainXmlWriter(GuestSpec spec, Accelerator autoResolvesTo) {
        this.s = spec;
        this.resolved = spec.accelerator() == Accelerator.AUTO ? autoResolvesTo : spec.accelerator();
    }

    DomainExport write() {
        Document d = Xml.builder().newDocument();
        doc = d;
        Element dom = d.createElement("domain");
        d.appendChild(dom);
        dom.setAttribute("type", resolved == Accelerator.KVM ? "kvm" : "qemu");
        if (s.accelerator() == Accelerator.AUTO) {
            notes.add(new LibvirtNote("accelerator", "auto has no libvirt form; the domain uses "
                    + (resolved == Accelerator.KVM ? "type='kvm'" : "type='qemu' (TCG)")));
        }
        Xml.text(dom, "name", s.name());
        if (s.uuid() != null) {
            Xml.text(dom, "uuid", s.uuid().toString());
        }
        metadata(dom);
        new MemoryXmlWriter(s, notes, refusals).memory(dom);
        for (DiskSpec disk : s.disks()) {
            if (disk.iothread() != null) {
                iothreads.putIfAbsent(disk.iothread(), iothreads.size() + 1);
            }
        }
        Xml.text(dom, "vcpu", String.valueOf(s.smp().cpus())).setAttribute("placement", "static");
        if (!iothreads.isEmpty()) {
            Xml.text(dom, "iothreads", String.valueOf(iothreads.size()));
        }
        new MemoryXmlWriter(s, notes, refusals).numatune(dom);
        os(dom);
        Element features = Xml.add(dom, "features");
        Xml.add(features, "acpi");
        cpu(dom);
        Xml.text(dom, "on_poweroff", "destroy");
        Xml.text(dom, "on_reboot", s.noReboot() ? "destroy" : "restart");
        Xml.text(dom, "on_crash", "destroy");
        devices(Xml.add(dom, "devices"));
        hostPolicyNotes();
        if (!refusals.isEmpty()) {
            throw new LibvirtRefusedException(refusals);
        }
        return new DomainExport(Xml.write(d), notes);
    }

    private void metadata(Element dom) {
        Element md = Xml.add(dom, "metadata");
        Element k = dom.getOwnerDocument().createElementNS(DomainXml.KVMJ_NS, "kvmj:spec");
        k.setTextContent(GuestSpecJson.toTree(s).toString());
        md.appendChild(k);
    }

    private void hostPolicyNotes() {
        if (!s.nodefaults()) {
            notes.add(new LibvirtNote("nodefaults", "false has no libvirt form; libvirt always passes -nodefaults"));
        }
        if (!s.noUserConfig()) {
            notes.add(new LibvirtNote("noUserConfig", "false has no libvirt form; libvirt always passes -no-user-config"));
        }
        notes.add(new LibvirtNote("sandbox", (s.sandbox() ? "on" : "off") + " is not in domain XML; libvirt follows "
                + "seccomp_sandbox in qemu.conf (default on)"));
        if (s.startPaused()) {
            notes.add(new LibvirtNote("startPaused", "not in domain XML; start it with 'virsh start --paused'"));
        }
        if (s.pidfile() != null) {
            notes.add(new LibvirtNote("pidfile", "libvirt keeps its own pidfile; " + s.pidfile() + " is not written"));
        }
        for (int i = 0; i < s.qmp().size(); i++) {
            notes.add(new LibvirtNote("qmp[" + i + "]", "libvirt owns the QMP monitor; use 'virsh qemu-monitor-command'"));
        }
    }

    private void os(Element dom) {
        Element os = Xml.add(dom, "os");
        Element type = Xml.text(os, "type", "hvm");
        type.setAttribute("arch", "x86_64");
        if (s.machine() == MachineType.MICROVM) {
            refusals.add(new LibvirtNote("machine", "microvm: libvirt's QEMU driver does not run microvm guests"));
        }
        type.setAttribute("machine", s.machine().qemuName());
        if (s.firmware() != null) {
            Element loader = Xml.text(os, "loader", s.firmware().code().toString());
            loader.setAttribute("readonly", "yes");
            loader.setAttribute("type", "pflash");
            if (s.firmware().vars() == null) {
                loader.setAttribute("stateless", "yes");
            } else {
                Xml.text(os, "nvram", s.firmware().vars().toString());
            }
        }
        if (s.kernel() != null) {
            Xml.text(os, "kernel", s.kernel().kernel().toString());
            if (s.kernel().initrd() != null) {
                Xml.text(os, "initrd", s.kernel().initrd().toString());
            }
            if (s.kernel().append() != null) {
                Xml.text(os, "cmdline", s.kernel().append());
            }
        }
        boolean perDevice = s.disks().stream().anyMatch(d -> d.bootIndex() != null)
                || s.cdroms().stream().anyMatch(c -> c.bootIndex() != null);
        if (perDevice && !s.bootOrder().isEmpty()) {
            refusals.add(new LibvirtNote("bootOrder", "libvirt takes either a boot order or per-device boot indexes, not both"));
        }
        for (BootDevice b : s.bootOrder()) {
            Xml.add(os, "boot").setAttribute("dev", switch (b) {
                case DISK -> "hd";
                case CDROM -> "cdrom";
                case NETWORK -> "network";
            });
        }
    }

    private void cpu(Element dom) {
        Element cpu = Xml.add(dom, "cpu");
        CpuModel c = s.cpu();
        if (c.equals(CpuModel.host())) {
            cpu.setAttribute("mode", "host-passthrough");
        } else if (c.equals(CpuModel.max())) {
            cpu.setAttribute("mode", "maximum");
        } else {
            cpu.setAttribute("mode", "custom");
            cpu.setAttribute("match", "exact");
            Xml.text(cpu, "model", c.name()).setAttribute("fallback", "forbid");
        }
        Element t = Xml.add(cpu, "topology");
        t.setAttribute("sockets", String.valueOf(s.smp().sockets()));
        t.setAttribute("dies", "1");
        t.setAttribute("cores", String.valueOf(s.smp().cores()));
        t.setAttribute("threads", String.valueOf(s.smp().threads()));
        List<NumaNode> nodes = s.memory().numaNodes();
        if (!nodes.isEmpty()) {
            Element numa = Xml.add(cpu, "numa");
            for (NumaNode n : nodes) {
                Element cell = Xml.add(numa, "cell");
                cell.setAttribute("id", String.valueOf(n.nodeId()));
                cell.setAttribute("cpus", n.firstCpu() == n.lastCpu() ? String.valueOf(n.firstCpu()) : n.firstCpu() + "-" + n.lastCpu());
                cell.setAttribute("memory", String.valueOf(n.memory().sizeMiB() * 1024));
                cell.setAttribute("unit", "KiB");
                cell.setAttribute("memAccess", n.memory().share() ? "shared" : "private");
            }
        }
    }

    private void devices(Element dev) {
        boolean q35 = s.machine() == MachineType.Q35;
        int vd = 0;
        int sd = 0;
        int hd = 0;
        int scsiUnit = 0;
        int ahciPort = 0;
        int boardPort = 0;
        Map<String, Integer> scsiControllers = new LinkedHashMap<>();
        boolean extraAhci = false;
        DiskXmlWriter disks = new DiskXmlWriter(notes, refusals);
        for (DiskSpec d : s.disks()) {
            String f = "disks[" + d.id() + "]";
            String target;
            String bus;
            Integer iothread = null;
            Element address = null;
            switch (d.bus()) {
                case VIRTIO_BLK -> {
                    target = "vd" + letters(vd++);
                    bus = "virtio";
                    iothread = d.iothread() == null ? null : iothreads.get(d.iothread());
                }
                case VIRTIO_SCSI -> {
                    target = "sd" + letters(sd++);
                    bus = "scsi";
                    String key = d.iothread() == null ? "" : d.iothread();
                    int ctl = scsiControllers.computeIfAbsent(key, k -> scsiControllers.size());
                    address = drive(ctl, scsiUnit++);
                }
                case IDE -> {
                    if (q35) {
                        target = "sd" + letters(sd++);
                        bus = "sata";
                        address = drive(0, boardPort++);
                    } else {
                        target = "hd" + letters(hd++);
                        bus = "ide";
                    }
                }
                case SATA -> {
                    target = "sd" + letters(sd++);
                    bus = "sata";
                    extraAhci = true;
                    address = drive(q35 ? 1 : 0, ahciPort++);
                }
                default -> throw new IllegalStateException(d.bus().toString());
            }
            disks.write(dev, d, f, target, bus, iothread, address);
        }
        for (CdRom c : s.cdroms()) {
            Element disk = Xml.add(dev, "disk");
            disk.setAttribute("type", "file");
            disk.setAttribute("device", "cdrom");
            Element driver = Xml.add(disk, "driver");
            driver.setAttribute("name", "qemu");
            driver.setAttribute("type", "raw");
            Xml.add(disk, "source").setAttribute("file", abs(c.iso()));
            Element target = Xml.add(disk, "target");
            Element address = null;
            if (q35) {
                target.setAttribute("dev", "sd" + letters(sd++));
                target.setAttribute("bus", "sata");
                address = drive(0, boardPort++);
            } else {
                target.setAttribute("dev", "hd" + letters(hd++));
                target.setAttribute("bus", "ide");
            }
            Xml.add(disk, "readonly");
            disks.boot(disk, "cdroms[" + c.id() + "]", c.bootIndex());
            alias(disk, c.id());
            if (address != null) {
                disk.appendChild(address);
            }
        }
        if (s.cloudInit() != null) {
            refusals.add(new LibvirtNote("cloudInit", "libvirt has no cloud-init seed (kvmj writes it at launch); make "
                    + "the seed ISO yourself and attach it as a CD-ROM"));
        }
        if (boardPort > 6 || ahciPort > 6) {
            refusals.add(new LibvirtNote("disks", "more than 6 disks on one SATA controller"));
        }
        for (var e : scsiControllers.entrySet()) {
            Element ctl = Xml.add(dev, "controller");
            ctl.setAttribute("type", "scsi");
            ctl.setAttribute("index", String.valueOf(e.getValue()));
            ctl.setAttribute("model", "virtio-scsi");
            if (!e.getKey().isEmpty()) {
                Xml.add(ctl, "driver").setAttribute("iothread", String.valueOf(iothreads.get(e.getKey())));
            }
        }
        if (extraAhci && q35) {
            Element ctl = Xml.add(dev, "controller");
            ctl.setAttribute("type", "sata");
            ctl.setAttribute("index", "1");
        }
        Element usb = Xml.add(dev, "controller");
        usb.setAttribute("type", "usb");
        usb.setAttribute("model", s.usbDevices().isEmpty() ? "none" : "qemu-xhci");
        ShareNetSerialXmlWriter chars = new ShareNetSerialXmlWriter(s, notes, refusals);
        for (NinePShare sh : s.shares()) {
            chars.filesystem(dev, sh);
        }
        for (int i = 0; i < s.nics().size(); i++) {
            chars.nic(dev, s.nics().get(i), i);
        }
        for (int i = 0; i < s.serials().size(); i++) {
            chars.serial(dev, s.serials().get(i), i);
        }
        for (VirtioSerialChannel ch : s.channels()) {
            Element c = Xml.add(dev, "channel");
            c.setAttribute("type", "unix");
            Element src = Xml.add(c, "source");
            src.setAttribute("mode", "bind");
            src.setAttribute("path", abs(ch.socket()));
            Element t = Xml.add(c, "target");
            t.setAttribute("type", "virtio");
            t.setAttribute("name", ch.name());
        }
        if (s.vnc() != null) {
            if (s.vnc().passwordFile() != null) {
                refusals.add(new LibvirtNote("vnc.passwordFile", "libvirt wants the VNC password itself in the XML "
                        + "(passwd=); kvmj does not copy a secret into a document"));
            }
            Element g = Xml.add(dev, "graphics");
            g.setAttribute("type", "vnc");
            g.setAttribute("port", String.valueOf(s.vnc().port()));
            g.setAttribute("autoport", "no");
            Element l = Xml.add(g, "listen");
            l.setAttribute("type", "address");
            l.setAttribute("address", s.vnc().host());
            Element video = Xml.add(dev, "video");
            Xml.add(video, "model").setAttribute("type", "vga");
        }
        for (UsbHostDevice u : s.usbDevices()) {
            Element h = hostdev(dev, "usb");
            Element src = Xml.add(h, "source");
            if (u.vendorId() != null) {
                Xml.add(src, "vendor").setAttribute("id", String.format("0x%04x", u.vendorId()));
                Xml.add(src, "product").setAttribute("id", String.format("0x%04x", u.productId()));
            } else {
                Element a = Xml.add(src, "address");
                a.setAttribute("bus", String.valueOf(u.hostBus()));
                a.setAttribute("device", String.valueOf(u.hostAddr()));
            }
        }
        for (PciHostDevice p : s.pciDevices()) {
            Element h = hostdev(dev, "pci");
            Xml.add(h, "driver").setAttribute("name", "vfio");
            Element a = Xml.add(Xml.add(h, "source"), "address");
            String[] bdf = p.bdf().split("[:.]");
            a.setAttribute("domain", "0x" + bdf[0]);
            a.setAttribute("bus", "0x" + bdf[1]);
            a.setAttribute("slot", "0x" + bdf[2]);
            a.setAttribute("function", "0x" + bdf[3]);
        }
        Xml.add(dev, "memballoon").setAttribute("model", s.memory().balloon() ? "virtio" : "none");
        if (s.rng()) {
            Element rng = Xml.add(dev, "rng");
            rng.setAttribute("model", "virtio");
            Xml.text(rng, "backend", "/dev/urandom").setAttribute("model", "random");
        }
    }

    private Element hostdev(Element dev, String type) {
        Element h = Xml.add(dev, "hostdev");
        h.setAttribute("mode", "subsystem");
        h.setAttribute("type", type);
        h.setAttribute("managed", "no");
        return h;
    }

    static void alias(Element e, String id) {
        DiskXmlWriter.alias(e, id);
    }

    private Element drive(int controller, int unit) {
        Element a = doc.createElement("address");
        a.setAttribute("type", "drive");
        a.setAttribute("controller", String.valueOf(controller));
        a.setAttribute("bus", "0");
        a.setAttribute("target", "0");
        a.setAttribute("unit", String.valueOf(unit));
        return a;
    }

    static String abs(Path p) { return p.toAbsolutePath().normalize().toString(); }

    /** 0 → a, 25 → z, 26 → aa (libvirt's disk names). */
    static String letters(int i) {
        StringBuilder sb = new StringBuilder();
        int n = i;
        do {
            sb.insert(0, (char) ('a' + n % 26));
            n = n / 26 - 1;
        } while (n >= 0);
        return sb.toString();
    }

}

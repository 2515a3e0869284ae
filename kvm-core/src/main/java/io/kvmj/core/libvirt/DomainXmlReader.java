package io.kvmj.core.libvirt;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.BootDevice;
import io.kvmj.core.model.CpuModel;
import io.kvmj.core.model.Firmware;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.HostNodePolicy;
import io.kvmj.core.model.KernelBoot;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.MemoryBackend;
import io.kvmj.core.model.MemorySpec;
import io.kvmj.core.model.NumaNode;
import io.kvmj.core.model.SmpTopology;
import io.kvmj.core.spec.GuestSpecJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/** libvirt domain XML → {@link GuestSpec} (see {@link DomainXml#importXml}); devices in {@link DeviceXmlReader}. */
final class DomainXmlReader {
    private final String xml;
    final Seen seen = new Seen();
    final List<LibvirtNote> notes = new ArrayList<>();
    final List<LibvirtNote> refusals = new ArrayList<>();
    MachineType machine;
    static final String UNSAFE_NOTE = "unsafe: imported as a disposable disk";

    DomainXmlReader(String xml) { this.xml = xml; }

    DomainImport read() {
        Document d;
        try {
            d = Xml.parse(xml);
        } catch (SAXException e) {
            throw new LibvirtRefusedException(List.of(new LibvirtNote("/", "not XML: " + e.getMessage())));
        }
        Element dom = d.getDocumentElement();
        if (!"domain".equals(dom.getLocalName())) {
            throw refuse("/" + dom.getNodeName(), "not a libvirt <domain> document");
        }
        seen.use(dom);
        seen.attr(dom, "id");
        String type = seen.attr(dom, "type");
        Accelerator accel;
        if ("kvm".equals(type)) {
            accel = Accelerator.KVM;
        } else if ("qemu".equals(type)) {
            accel = Accelerator.TCG;
        } else {
            throw refuse("/domain/@type", "'" + type + "': kvmj runs QEMU guests only (type kvm or qemu)");
        }
        String name = seen.text(dom, "name");
        if (name == null || name.isEmpty()) {
            throw refuse("/domain/name", "missing");
        }
        GuestSpec.Builder b = GuestSpec.builder(name).accelerator(accel);
        String uuid = seen.text(dom, "uuid");
        if (uuid != null) {
            try {
                b.uuid(UUID.fromString(uuid));
            } catch (IllegalArgumentException e) {
                refusals.add(new LibvirtNote("/domain/uuid", "'" + uuid + "' is not a UUID"));
            }
        }
        seen.useAll(seen.child(dom, "resource"));
        seen.child(dom, "iothreads"); // counted from the disks and controllers that use them
        seen.useAll(seen.child(dom, "iothreadids"));
        seen.useAll(seen.child(dom, "seclabel"));
        for (Element s : seen.all(dom, "seclabel")) {
            seen.useAll(s);
        }
        Element title = seen.child(dom, "title");
        Element description = seen.child(dom, "description");
        if (title != null || description != null) {
            notes.add(new LibvirtNote("/domain/title|description", "not imported (kvmj has no such setting)"));
        }
        os(dom, b);
        smp(dom, b);
        MemorySpec mem = memory(dom);
        features(dom);
        clock(dom);
        String onReboot = seen.text(dom, "on_reboot");
        b.noReboot("destroy".equals(onReboot));
        lifecycle(dom, "on_poweroff");
        lifecycle(dom, "on_crash");
        Element devices = seen.child(dom, "devices");
        boolean balloon = true;
        if (devices != null) {
            DeviceXmlReader dr = new DeviceXmlReader(this, devices, name, b);
            dr.read();
            balloon = dr.balloon;
        }
        b.memory(mem.withBalloon(balloon));
        if (!refusals.isEmpty()) {
            throw new LibvirtRefusedException(refusals);
        }
        GuestSpec spec;
        try {
            spec = b.build();
        } catch (RuntimeException e) {
            throw refuse("/domain", e.getMessage());
        }
        Element md = seen.child(dom, "metadata");
        if (md != null) {
            spec = overlay(md, spec);
        }
        List<LibvirtNote> all = new ArrayList<>(notes);
        all.addAll(seen.unused(dom));
        return new DomainImport(spec, all);
    }

    private GuestSpec overlay(Element md, GuestSpec spec) {
        for (Element c : Seen.children(md)) {
            if (DomainXml.KVMJ_NS.equals(c.getNamespaceURI()) && "spec".equals(c.getLocalName())) {
                seen.useAll(c);
                try {
                    GuestSpec out = MetadataOverlay.apply(spec, GuestSpecJson.read(c.getTextContent()));
                    notes.removeIf(n -> n.what().startsWith(UNSAFE_NOTE)); // the metadata says which disks are disposable
                    return out;
                } catch (RuntimeException e) {
                    notes.add(new LibvirtNote("/domain/metadata/kvmj:spec", "unreadable, ignored: " + e.getMessage()));
                }
            }
        }
        return spec;
    }

    LibvirtRefusedException refuse(String where, String what) {
        List<LibvirtNote> all = new ArrayList<>(refusals);
        all.add(new LibvirtNote(where, what));
        return new LibvirtRefusedException(all);
    }

    private void lifecycle(Element dom, String name) {
        String v = seen.text(dom, name);
        if (v != null && !v.equals("destroy")) {
            notes.add(new LibvirtNote("/domain/" + name, "'" + v + "' not imported: kvmj's QEMU exits"));
        }
    }

    private void clock(Element dom) {
        Element clock = seen.child(dom, "clock");
        if (clock != null) {
            String offset = seen.attr(clock, "offset");
            if (offset != null && !offset.equals("utc")) {
                notes.add(new LibvirtNote("/domain/clock/@offset", "'" + offset + "' not imported: kvmj guests keep UTC"));
            }
        }
    }

    private void features(Element dom) {
        Element f = seen.child(dom, "features");
        boolean acpi = f != null && seen.child(f, "acpi") != null;
        if (f != null) {
            seen.child(f, "apic");
            seen.child(f, "pae");
        }
        if (!acpi) {
            notes.add(new LibvirtNote("/domain/features/acpi", "absent (libvirt then passes -no-acpi); kvmj guests always have ACPI"));
        }
    }

    private void os(Element dom, GuestSpec.Builder b) {
        Element os = seen.child(dom, "os");
        if (os == null) {
            throw refuse("/domain/os", "missing");
        }
        Element type = seen.child(os, "type");
        String t = type == null ? null : type.getTextContent().trim();
        if (!"hvm".equals(t)) {
            throw refuse("/domain/os/type", "'" + t + "': kvmj runs hvm guests only");
        }
        String arch = seen.attr(type, "arch");
        if ("i686".equals(arch)) {
            notes.add(new LibvirtNote("/domain/os/type/@arch", "i686 imported as x86_64 (qemu-system-x86_64 runs 32-bit guests)"));
        } else if (arch != null && !arch.equals("x86_64")) {
            throw refuse("/domain/os/type/@arch", "'" + arch + "': kvmj runs x86_64 guests only");
        }
        String m = seen.attr(type, "machine");
        m = m == null ? "pc" : m;
        if (m.equals("q35") || m.startsWith("pc-q35")) {
            machine = MachineType.Q35;
        } else if (m.equals("pc") || m.startsWith("pc-i440fx") || m.matches("pc-\\d.*")) {
            machine = MachineType.PC;
        } else if (m.equals("microvm")) {
            machine = MachineType.MICROVM;
        } else {
            throw refuse("/domain/os/type/@machine", "'" + m + "': kvmj knows q35, pc and microvm");
        }
        if (!m.equals(machine.qemuName())) {
            notes.add(new LibvirtNote("/domain/os/type/@machine", "'" + m + "' imported as " + machine.qemuName()
                    + " (kvmj does not pin machine versions)"));
        }
        b.machine(machine);
        Element loader = seen.child(os, "loader");
        if (loader != null) {
            seen.attr(loader, "readonly");
            seen.attr(loader, "type");
            seen.attr(loader, "stateless");
            String nvram = seen.text(os, "nvram");
            Element nv = seen.child(os, "nvram");
            seen.attr(nv, "template");
            b.firmware(Firmware.ovmf(Path.of(loader.getTextContent().trim()), nvram == null || nvram.isEmpty() ? null : Path.of(nvram)));
        }
        String kernel = seen.text(os, "kernel");
        if (kernel != null) {
            String initrd = seen.text(os, "initrd");
            b.kernel(KernelBoot.of(Path.of(kernel), initrd == null ? null : Path.of(initrd), seen.text(os, "cmdline")));
        }
        List<BootDevice> order = new ArrayList<>();
        for (Element boot : seen.all(os, "boot")) {
            String dev = seen.attr(boot, "dev");
            switch (dev == null ? "" : dev) {
                case "hd" -> order.add(BootDevice.DISK);
                case "cdrom" -> order.add(BootDevice.CDROM);
                case "network" -> order.add(BootDevice.NETWORK);
                default -> notes.add(new LibvirtNote("/domain/os/boot[@dev='" + dev + "']", "not imported (kvmj boots hd, cdrom, network)"));
            }
        }
        b.bootOrder(order.toArray(BootDevice[]::new));
    }

    private void smp(Element dom, GuestSpec.Builder b) {
        Element vcpu = seen.child(dom, "vcpu");
        int n = vcpu == null ? 1 : Integer.parseInt(vcpu.getTextContent().trim());
        if (vcpu != null) {
            seen.attr(vcpu, "placement");
            String current = seen.attr(vcpu, "current");
            if (current != null && Integer.parseInt(current) != n) {
                notes.add(new LibvirtNote("/domain/vcpu/@current", current + " not imported: all " + n + " vCPUs are online"));
            }
        }
        Element cpu = seen.child(dom, "cpu");
        CpuModel model = CpuModel.named("qemu64");
        SmpTopology smp = SmpTopology.of(n);
        if (cpu != null) {
            seen.attr(cpu, "check");
            String mode = seen.attr(cpu, "mode");
            mode = mode == null ? "custom" : mode;
            switch (mode) {
                case "host-passthrough" -> model = CpuModel.host();
                case "host-model" -> {
                    model = CpuModel.host();
                    notes.add(new LibvirtNote("/domain/cpu/@mode", "host-model imported as host (passthrough)"));
                }
                case "maximum" -> model = CpuModel.max();
                default -> {
                    seen.attr(cpu, "match");
                    Element mel = seen.child(cpu, "model");
                    if (mel != null) {
                        seen.attr(mel, "fallback");
                        model = CpuModel.named(mel.getTextContent().trim());
                    }
                }
            }
            Element t = seen.child(cpu, "topology");
            if (t != null) {
                int sockets = intAttr(t, "sockets", 1);
                int dies = intAttr(t, "dies", 1);
                int cores = intAttr(t, "cores", 1);
                int threads = intAttr(t, "threads", 1);
                if (dies != 1) {
                    notes.add(new LibvirtNote("/domain/cpu/topology/@dies", dies + " imported as " + dies + "x more sockets"));
                }
                try {
                    smp = new SmpTopology(n, sockets * dies, cores, threads);
                } catch (RuntimeException e) {
                    notes.add(new LibvirtNote("/domain/cpu/topology", "does not match " + n + " vCPUs, imported as " + n + " sockets"));
                }
            }
        }
        b.cpu(model).smp(smp);
    }

    private MemorySpec memory(Element dom) {
        long kib = kib(seen.child(dom, "memory"), "/domain/memory");
        Element cur = seen.child(dom, "currentMemory");
        if (cur != null && kib(cur, "/domain/currentMemory") != kib) {
            notes.add(new LibvirtNote("/domain/currentMemory", "balloon target not imported: the guest starts with all of /domain/memory"));
        }
        Element maxMem = seen.child(dom, "maxMemory");
        if (maxMem != null) {
            notes.add(new LibvirtNote("/domain/maxMemory", "memory hotplug not imported"));
        }
        long mib = kib / 1024;
        if (kib % 1024 != 0) {
            notes.add(new LibvirtNote("/domain/memory", kib + " KiB rounded down to " + mib + " MiB"));
        }
        Element mb = seen.child(dom, "memoryBacking");
        String source = null;
        boolean shared = false;
        boolean prealloc = false;
        boolean locked = false;
        Map<Integer, Long> pageByNode = new HashMap<>();
        long page = -1;
        if (mb != null) {
            Element src = seen.child(mb, "source");
            source = src == null ? null : seen.attr(src, "type");
            Element access = seen.child(mb, "access");
            shared = access != null && "shared".equals(seen.attr(access, "mode"));
            Element alloc = seen.child(mb, "allocation");
            prealloc = alloc != null && "immediate".equals(seen.attr(alloc, "mode"));
            locked = seen.child(mb, "locked") != null;
            Element hp = seen.child(mb, "hugepages");
            if (hp != null) {
                page = 2048;
                for (Element p : seen.all(hp, "page")) {
                    long size = scaleKiB(Long.parseLong(seen.attr(p, "size")), seen.attr(p, "unit"));
                    String nodeset = seen.attr(p, "nodeset");
                    if (nodeset == null) {
                        page = size;
                    } else {
                        for (int node : nodeset(nodeset)) {
                            pageByNode.put(node, size);
                        }
                    }
                }
            }
        }
        Element cpu = firstChild(dom, "cpu");
        Element numa = cpu == null ? null : seen.child(cpu, "numa");
        Map<Integer, Element> memnodes = new HashMap<>();
        Element globalTune = null;
        Element nt = seen.child(dom, "numatune");
        if (nt != null) {
            globalTune = seen.child(nt, "memory");
            for (Element mn : seen.all(nt, "memnode")) {
                memnodes.put(Integer.parseInt(seen.attr(mn, "cellid")), mn);
            }
        }
        MemorySpec spec = MemorySpec.ofMiB(mib).withMemLock(locked);
        if (numa == null) {
            if (mb != null && (source != null || page > 0 || shared || prealloc)) {
                MemoryBackend.Builder bb = backend("mem", mib, source, page);
                tune(bb, globalTune);
                spec = spec.withBackend(bb.share(shared).prealloc(prealloc).build());
            } else if (globalTune != null) {
                notes.add(new LibvirtNote("/domain/numatune/memory", "host binding without a memory backend is not imported"));
            }
            return spec;
        }
        List<NumaNode> nodes = new ArrayList<>();
        for (Element cell : seen.all(numa, "cell")) {
            int id = intAttr(cell, "id", nodes.size());
            String cpus = seen.attr(cell, "cpus");
            long cellMiB = kib(cell, "/domain/cpu/numa/cell") / 1024;
            String access = seen.attr(cell, "memAccess");
            boolean cellShared = access == null ? shared : access.equals("shared");
            long cellPage = pageByNode.getOrDefault(id, page);
            MemoryBackend.Builder bb = backend("numa" + id, cellMiB, source, cellPage);
            tune(bb, memnodes.get(id));
            List<Integer> cpuList = nodeset(cpus);
            int first = cpuList.get(0);
            int last = cpuList.get(cpuList.size() - 1);
            if (last - first + 1 != cpuList.size()) {
                refusals.add(new LibvirtNote("/domain/cpu/numa/cell[@id='" + id + "']/@cpus", "'" + cpus + "': kvmj takes one contiguous range per node"));
            }
            nodes.add(new NumaNode(id, first, last, bb.share(cellShared).prealloc(prealloc).build()));
        }
        return new MemorySpec(mib, null, nodes, false, locked);
    }

    private MemoryBackend.Builder backend(String id, long mib, String source, long page) {
        if ("memfd".equals(source)) {
            MemoryBackend.Builder b = MemoryBackend.memfd(id, mib);
            return page > 0 ? b.hugetlb(page) : b;
        }
        if (page > 0) {
            return MemoryBackend.file(id, mib, Path.of("/dev/hugepages")).hugepages(page);
        }
        if ("file".equals(source)) {
            return MemoryBackend.file(id, mib, Path.of("/var/lib/libvirt/qemu/ram"));
        }
        return MemoryBackend.ram(id, mib);
    }

    private void tune(MemoryBackend.Builder bb, Element tune) {
        if (tune == null) {
            return;
        }
        String mode = seen.attr(tune, "mode");
        HostNodePolicy p = switch (mode == null ? "strict" : mode) {
            case "strict", "restrictive" -> HostNodePolicy.BIND;
            case "preferred" -> HostNodePolicy.PREFERRED;
            case "interleave" -> HostNodePolicy.INTERLEAVE;
            default -> HostNodePolicy.BIND;
        };
        String nodeset = seen.attr(tune, "nodeset");
        if (nodeset != null) {
            bb.hostNodes(p, nodeset(nodeset).toArray(Integer[]::new));
        }
    }

    static List<Integer> nodeset(String s) {
        List<Integer> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            if (p.startsWith("^")) {
                out.remove(Integer.valueOf(Integer.parseInt(p.substring(1))));
            } else if (p.contains("-")) {
                String[] r = p.split("-");
                for (int i = Integer.parseInt(r[0]); i <= Integer.parseInt(r[1]); i++) {
                    out.add(i);
                }
            } else if (!p.isEmpty()) {
                out.add(Integer.parseInt(p));
            }
        }
        return out;
    }

    private static Element firstChild(Element parent, String name) {
        for (Element c : Seen.children(parent)) {
            if (c.getLocalName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private long kib(Element e, String where) {
        if (e == null) {
            throw refuse(where, "missing");
        }
        String v = e.hasAttribute("memory") ? seen.attr(e, "memory") : e.getTextContent().trim();
        return scaleKiB(Long.parseLong(v), seen.attr(e, "unit"));
    }

    static long scaleKiB(long v, String unit) {
        String u = unit == null ? "kib" : unit.toLowerCase(Locale.ROOT);
        return switch (u) {
            case "b", "bytes" -> v / 1024;
            case "k", "kib" -> v;
            case "kb" -> v * 1000 / 1024;
            case "m", "mib" -> v * 1024;
            case "mb" -> v * 1000 * 1000 / 1024;
            case "g", "gib" -> v * 1024 * 1024;
            case "gb" -> v * 1000L * 1000 * 1000 / 1024;
            case "t", "tib" -> v * 1024L * 1024 * 1024;
            default -> throw new LibvirtRefusedException(List.of(new LibvirtNote("unit", "'" + unit + "' is not a libvirt unit")));
        };
    }

    int intAttr(Element e, String name, int dflt) {
        String v = seen.attr(e, name);
        return v == null ? dflt : Integer.decode(v);
    }
}

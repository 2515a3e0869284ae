package io.kvmj.core.libvirt;

import io.kvmj.core.model.BackendKind;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MemoryBackend;
import io.kvmj.core.model.MemorySpec;
import io.kvmj.core.model.NumaNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.w3c.dom.Element;

/** The memory part of {@link DomainXmlWriter}: {@code <memory>}, {@code <memoryBacking>}, {@code <numatune>}. */
final class MemoryXmlWriter {
    private final GuestSpec s;
    private final List<LibvirtNote> notes;
    private final List<LibvirtNote> refusals;

    MemoryXmlWriter(GuestSpec s, List<LibvirtNote> notes, List<LibvirtNote> refusals) {
        this.s = s;
        this.notes = notes;
        this.refusals = refusals;
    }

    void memory(Element dom) {
        MemorySpec m = s.memory();
        long kib = m.sizeMiB() * 1024;
        if (m.padKiB() > 0) {
            notes.add(new LibvirtNote("memory.padKiB", m.padKiB() + " KiB of padding (kvmj's TCG migration workaround) "
                    + "left out: libvirt aligns guest memory itself"));
        }
        Xml.text(dom, "memory", String.valueOf(kib)).setAttribute("unit", "KiB");
        Xml.text(dom, "currentMemory", String.valueOf(kib)).setAttribute("unit", "KiB");
        List<MemoryBackend> backends = m.backend() != null ? List.of(m.backend())
                : m.numaNodes().stream().map(NumaNode::memory).toList();
        if (backends.isEmpty() && !m.memLock()) {
            return;
        }
        Element mb = Xml.add(dom, "memoryBacking");
        if (!backends.isEmpty()) {
            MemoryBackend first = backends.get(0);
            for (MemoryBackend b : backends) {
                String f = "memory.backend[" + b.id() + "]";
                if (b.kind() != first.kind() || b.prealloc() != first.prealloc() || b.usesHugepages() != first.usesHugepages()) {
                    refusals.add(new LibvirtNote(f, "libvirt backs all NUMA cells alike (one memoryBacking); this node's "
                            + "kind/prealloc/hugepages differ from node " + first.id()));
                }
                if (b.kind() == BackendKind.FILE && !b.usesHugepages()) {
                    notes.add(new LibvirtNote(f + ".mem-path", b.memPath() + " has no libvirt form; libvirt puts file "
                            + "memory under memory_backing_dir of qemu.conf"));
                }
            }
            if (first.usesHugepages()) {
                Element hp = Xml.add(mb, "hugepages");
                Map<Long, List<Integer>> bySize = new LinkedHashMap<>();
                for (int i = 0; i < backends.size(); i++) {
                    MemoryBackend b = backends.get(i);
                    long size = b.hugepageSizeKiB() > 0 ? b.hugepageSizeKiB() : 2048;
                    if (b.hugepageSizeKiB() == 0) {
                        notes.add(new LibvirtNote("memory.backend[" + b.id() + "].hugetlbsize",
                                "default hugepage size written as 2048 KiB"));
                    }
                    bySize.computeIfAbsent(size, x -> new ArrayList<>()).add(m.numaNodes().isEmpty() ? -1 : m.numaNodes().get(i).nodeId());
                }
                for (var e : bySize.entrySet()) {
                    Element page = Xml.add(hp, "page");
                    page.setAttribute("size", String.valueOf(e.getKey()));
                    page.setAttribute("unit", "KiB");
                    if (bySize.size() > 1 && !m.numaNodes().isEmpty()) {
                        page.setAttribute("nodeset", e.getValue().stream().map(String::valueOf).collect(Collectors.joining(",")));
                    }
                }
            }
            if (m.memLock()) {
                Xml.add(mb, "locked");
            }
            if (first.kind() == BackendKind.MEMFD) {
                Xml.add(mb, "source").setAttribute("type", "memfd");
            } else if (first.kind() == BackendKind.FILE && !first.usesHugepages()) {
                Xml.add(mb, "source").setAttribute("type", "file");
            } else if (first.kind() == BackendKind.RAM) {
                Xml.add(mb, "source").setAttribute("type", "anonymous");
            }
            if (m.numaNodes().isEmpty() && first.share()) {
                Xml.add(mb, "access").setAttribute("mode", "shared");
            }
            if (first.prealloc()) {
                Xml.add(mb, "allocation").setAttribute("mode", "immediate");
            }
        } else {
            Xml.add(mb, "locked");
        }
    }

    void numatune(Element dom) {
        MemorySpec m = s.memory();
        List<MemoryBackend> bound = new ArrayList<>();
        if (m.backend() != null && !m.backend().hostNodes().isEmpty()) {
            bound.add(m.backend());
        }
        m.numaNodes().stream().map(NumaNode::memory).filter(b -> !b.hostNodes().isEmpty()).forEach(bound::add);
        if (bound.isEmpty()) {
            return;
        }
        Element nt = Xml.add(dom, "numatune");
        for (MemoryBackend b : bound) {
            String mode = switch (b.policy()) {
                case BIND -> "strict";
                case PREFERRED -> "preferred";
                case INTERLEAVE -> "interleave";
                case DEFAULT -> null;
            };
            if (mode == null) {
                refusals.add(new LibvirtNote("memory.backend[" + b.id() + "].policy", "host nodes with policy default "
                        + "have no libvirt form (numatune modes: strict, preferred, interleave)"));
                continue;
            }
            String nodeset = b.hostNodes().stream().map(String::valueOf).collect(Collectors.joining(","));
            if (m.backend() != null) {
                Element e = Xml.add(nt, "memory");
                e.setAttribute("mode", mode);
                e.setAttribute("nodeset", nodeset);
            } else {
                int cell = m.numaNodes().stream().filter(n -> n.memory() == b).findFirst().orElseThrow().nodeId();
                Element e = Xml.add(nt, "memnode");
                e.setAttribute("cellid", String.valueOf(cell));
                e.setAttribute("mode", mode);
                e.setAttribute("nodeset", nodeset);
            }
        }
    }
}

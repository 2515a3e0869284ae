package io.kvmj.core.libvirt;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.BackendKind;
import io.kvmj.core.model.BootDevice;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MemoryBackend;
import io.kvmj.core.model.MemorySpec;
import io.kvmj.core.model.NicSpec;
import io.kvmj.core.model.NumaNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts back, from the kvmj spec kept in {@code <metadata>}, only what libvirt's elements cannot hold: the AUTO
 * accelerator, -nodefaults/-no-user-config/-sandbox/-S, pidfile, QMP endpoints, disks' disposable/RAID flags and
 * iothread names, memory backend ids and mem-paths, user-net port forwards and restrict, "no uuid", "no boot order".
 * Everything libvirt expresses is taken from the XML (which wins when the two disagree).
 */
final class MetadataOverlay {
    private MetadataOverlay() {}

    static GuestSpec apply(GuestSpec xml, GuestSpec md) {
        GuestSpec.Builder b = xml.toBuilder();
        if (md.accelerator() == Accelerator.AUTO) {
            b.accelerator(Accelerator.AUTO);
        }
        b.nodefaults(md.nodefaults()).noUserConfig(md.noUserConfig()).sandbox(md.sandbox()).startPaused(md.startPaused())
                .pidfile(md.pidfile());
        b.clearQmp();
        md.qmp().forEach(b::qmp);
        if (md.uuid() == null) {
            b.uuid(null); // libvirt made one up
        }
        if (md.bootOrder().isEmpty() && xml.bootOrder().equals(List.of(BootDevice.DISK))) {
            b.bootOrder(); // libvirt's implicit <boot dev='hd'/>
        }
        b.clearDisks();
        for (DiskSpec d : xml.disks()) {
            DiskSpec m = md.disks().stream().filter(x -> x.id().equals(d.id())).findFirst().orElse(null);
            if (m == null) {
                b.disk(d);
                continue;
            }
            DiskSpec.Builder db = d.toBuilder().disposable(m.disposable()).raidOrZfsInGuest(m.raidOrZfsInGuest());
            if (d.iothread() != null && m.iothread() != null) {
                db.iothread(m.iothread());
            }
            b.disk(db.build());
        }
        b.clearNics();
        for (NicSpec n : xml.nics()) {
            NicSpec m = md.nics().stream().filter(x -> x.id().equals(n.id()) && x.kind() == n.kind()).findFirst().orElse(null);
            b.nic(m == null ? n
                    : new NicSpec(n.id(), n.kind(), n.model(), n.mac(), m.forwards(), m.restrict(), n.ifname(), n.vhost(), n.bridge()));
        }
        b.memory(memory(xml.memory(), md.memory()));
        return b.build();
    }

    private static MemorySpec memory(MemorySpec xml, MemorySpec md) {
        MemoryBackend backend = xml.backend();
        if (backend != null && md.backend() != null) {
            backend = backend(backend, md.backend());
        }
        List<NumaNode> nodes = new ArrayList<>();
        for (NumaNode n : xml.numaNodes()) {
            NumaNode m = md.numaNodes().stream().filter(x -> x.nodeId() == n.nodeId()).findFirst().orElse(null);
            nodes.add(m == null ? n : new NumaNode(n.nodeId(), n.firstCpu(), n.lastCpu(), backend(n.memory(), m.memory())));
        }
        return new MemorySpec(xml.sizeMiB(), backend, nodes, xml.balloon(), xml.memLock());
    }

    private static MemoryBackend backend(MemoryBackend x, MemoryBackend m) {
        boolean sameFile = x.kind() == BackendKind.FILE && m.kind() == BackendKind.FILE && x.usesHugepages() == m.usesHugepages();
        return new MemoryBackend(m.id(), x.kind(), x.sizeMiB(), sameFile ? m.memPath() : x.memPath(), x.share(), x.prealloc(),
                x.hugetlb(), sameFile && m.hugepageSizeKiB() == 0 ? 0 : x.hugepageSizeKiB(), x.hostNodes(), x.policy());
    }
}

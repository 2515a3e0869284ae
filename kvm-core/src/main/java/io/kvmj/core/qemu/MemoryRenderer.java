package io.kvmj.core.qemu;

import io.kvmj.core.model.BackendKind;
import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.MemoryBackend;
import io.kvmj.core.model.MemorySpec;
import io.kvmj.core.model.NumaNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/** {@code -m}, {@code -object memory-backend-*}, {@code -numa node}, {@code -overcommit}, virtio-balloon. */
final class MemoryRenderer implements ArgRenderer {

    @Override
    public void render(RenderContext ctx) {
        MemorySpec m = ctx.spec.memory();
        ctx.arg("-m", QemuOpts.keys("m").add("size", m.padKiB() == 0 ? m.sizeMiB() + "M"
                : (m.sizeMiB() * 1024 + m.padKiB()) + "K"));
        Set<String> ids = new HashSet<>();
        if (m.backend() != null) {
            backend(ctx, m.backend(), ids);
        }
        Set<Integer> nodeIds = new HashSet<>();
        for (NumaNode n : m.numaNodes()) {
            if (!nodeIds.add(n.nodeId())) {
                throw new InvalidSpecException("memory.numa.nodeid", n.nodeId(), "duplicate NUMA node id");
            }
            if (n.lastCpu() >= ctx.spec.smp().cpus()) {
                throw new InvalidSpecException("memory.numa[" + n.nodeId() + "].cpus", n.firstCpu() + "-" + n.lastCpu(),
                        "guest has only " + ctx.spec.smp().cpus() + " vCPUs");
            }
            backend(ctx, n.memory(), ids);
        }
        for (NumaNode n : m.numaNodes()) {
            String cpus = n.firstCpu() == n.lastCpu() ? String.valueOf(n.firstCpu()) : n.firstCpu() + "-" + n.lastCpu();
            ctx.arg("-numa", QemuOpts.of("numa", "node").add("nodeid", n.nodeId()).add("cpus", cpus).add("memdev", n.memory().id()));
        }
        if (m.memLock()) {
            ctx.arg("-overcommit", "mem-lock=on");
        }
    }

    /** virtio-balloon is a device; rendered with the other devices. */
    static void balloon(RenderContext ctx) {
        if (ctx.spec.memory().balloon()) {
            ctx.arg("-device", QemuOpts.of("device", ctx.virtio("balloon")).add("id", "balloon0"));
        }
    }

    private static void backend(RenderContext ctx, MemoryBackend b, Set<String> ids) {
        String f = "memory.backend[" + b.id() + "]";
        QemuIds.check(f + ".id", b.id());
        if (!ids.add(b.id())) {
            throw new InvalidSpecException(f + ".id", b.id(), "duplicate memory backend id");
        }
        if (b.usesHugepages()) {
            checkHugepages(ctx, f, b, b.hugepageSizeKiB() > 0 ? b.hugepageSizeKiB() : ctx.host.defaultHugepageSizeKiB());
        }
        QemuOpts o = QemuOpts.of("object", b.kind().qomType()).add("id", b.id()).add("size", b.sizeMiB() + "M");
        if (b.kind() == BackendKind.FILE) {
            Path p = RenderContext.abs(f + ".mem-path", b.memPath());
            if (!Files.isDirectory(p) && !Files.isDirectory(p.getParent())) {
                throw new InvalidSpecException(f + ".mem-path", p, "neither a directory nor a file in an existing directory");
            }
            o.add("mem-path", p.toString());
        }
        if (b.share()) {
            o.onOff("share", true);
        }
        if (b.prealloc()) {
            o.onOff("prealloc", true);
        }
        if (b.hugetlb()) {
            o.onOff("hugetlb", true);
            if (b.hugepageSizeKiB() > 0) {
                o.add("hugetlbsize", b.hugepageSizeKiB() + "K");
            }
        }
        if (!b.hostNodes().isEmpty()) {
            for (Integer node : b.hostNodes()) {
                o.add("host-nodes", node);
            }
            o.add("policy", b.policy().qemuName());
        }
        ctx.arg("-object", o);
    }

    private static void checkHugepages(RenderContext ctx, String f, MemoryBackend b, long pageKiB) {
        OptionalLong free = ctx.host.freeHugepages(pageKiB);
        if (free.isEmpty()) {
            throw new InvalidSpecException(f + ".hugetlbsize", pageKiB + "kB", "host has no " + pageKiB + " kB hugepage size ("
                    + ctx.host.root().resolve("sys/kernel/mm/hugepages") + ")");
        }
        long needPages = (b.sizeMiB() * 1024 + pageKiB - 1) / pageKiB;
        if (free.getAsLong() < needPages) {
            throw new InvalidSpecException(f + ".hugetlbsize", pageKiB + "kB", "needs " + needPages + " free " + pageKiB
                    + " kB hugepages, host has " + free.getAsLong() + " (raise /proc/sys/vm/nr_hugepages)");
        }
    }
}

package io.kvmj.core.model;

import java.util.List;

/**
 * Guest memory: size, optional single backend (used as {@code -machine memory-backend=}), or NUMA nodes each
 * with its own backend (their sizes must add up to {@code sizeMiB}); virtio-balloon and {@code -overcommit mem-lock}.
 */
public record MemorySpec(long sizeMiB, MemoryBackend backend, List<NumaNode> numaNodes, boolean balloon, boolean memLock) {
    public MemorySpec {
        if (sizeMiB < 16) {
            throw new InvalidSpecException("memory.size", sizeMiB + "M", "at least 16 MiB");
        }
        numaNodes = List.copyOf(numaNodes == null ? List.of() : numaNodes);
        if (backend != null && !numaNodes.isEmpty()) {
            throw new InvalidSpecException("memory.backend", backend.id(), "give either one backend or NUMA nodes, not both");
        }
        if (backend != null && backend.sizeMiB() != sizeMiB) {
            throw new InvalidSpecException("memory.backend[" + backend.id() + "].size", backend.sizeMiB() + "M",
                    "must equal the guest memory size " + sizeMiB + "M");
        }
        if (!numaNodes.isEmpty()) {
            long sum = numaNodes.stream().mapToLong(n -> n.memory().sizeMiB()).sum();
            if (sum != sizeMiB) {
                throw new InvalidSpecException("memory.numa", sum + "M", "node backends must add up to the guest memory size " + sizeMiB + "M");
            }
        }
    }

    public static MemorySpec ofMiB(long sizeMiB) { return new MemorySpec(sizeMiB, null, List.of(), false, false); }

    public MemorySpec withBackend(MemoryBackend b) { return new MemorySpec(sizeMiB, b, numaNodes, balloon, memLock); }

    public MemorySpec withNuma(List<NumaNode> nodes) { return new MemorySpec(sizeMiB, backend, nodes, balloon, memLock); }

    public MemorySpec withBalloon(boolean on) { return new MemorySpec(sizeMiB, backend, numaNodes, on, memLock); }

    public MemorySpec withMemLock(boolean on) { return new MemorySpec(sizeMiB, backend, numaNodes, balloon, on); }
}

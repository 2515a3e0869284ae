package io.kvmj.core.model;

import java.util.List;

/**
 * Guest memory: size, optional single backend (used as {@code -machine memory-backend=}), or NUMA nodes each
 * with its own backend (their sizes must add up to {@code sizeMiB}); virtio-balloon and {@code -overcommit mem-lock}.
 *
 * <p>{@code padKiB} (0, or a multiple of 8 below 256) adds that much to a plain {@code -m} (no backend, no NUMA):
 * {@code -m size=1048584K} for 1 GiB + 8 KiB. kvmj sets 8 for TCG guests that can move
 * ({@code TcgDirtyTracking} in the launcher): a RAM size that is not a multiple of 256 KiB keeps QEMU before 9.0
 * off the fast path of its dirty-bitmap sync, which loses TCG guest writes during migration (QEMU commit
 * 03bfc2188f, "physmem: Fix migration dirty bitmap coherency with TCG memory access").
 *
 * <pre>{@code
 * MemorySpec.ofMiB(1024).withPadKiB(8);   // -m size=1048584K
 * }</pre>
 */
public record MemorySpec(long sizeMiB, MemoryBackend backend, List<NumaNode> numaNodes, boolean balloon, boolean memLock,
        int padKiB) {
    public MemorySpec {
        if (sizeMiB < 16) {
            throw new InvalidSpecException("memory.size", sizeMiB + "M", "at least 16 MiB");
        }
        if (padKiB < 0 || padKiB >= 256 || padKiB % 8 != 0) {
            throw new InvalidSpecException("memory.padKiB", padKiB, "0 or a multiple of 8 below 256 (QEMU rounds "
                    + "-m up to 8 KiB)");
        }
        numaNodes = List.copyOf(numaNodes == null ? List.of() : numaNodes);
        if (padKiB > 0 && (backend != null || !numaNodes.isEmpty())) {
            throw new InvalidSpecException("memory.padKiB", padKiB, "only a plain -m can be padded (backend sizes "
                    + "are whole MiB)");
        }
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

    /** Without padding. */
    public MemorySpec(long sizeMiB, MemoryBackend backend, List<NumaNode> numaNodes, boolean balloon, boolean memLock) {
        this(sizeMiB, backend, numaNodes, balloon, memLock, 0);
    }

    public static MemorySpec ofMiB(long sizeMiB) { return new MemorySpec(sizeMiB, null, List.of(), false, false); }

    public MemorySpec withBackend(MemoryBackend b) { return new MemorySpec(sizeMiB, b, numaNodes, balloon, memLock, padKiB); }

    public MemorySpec withNuma(List<NumaNode> nodes) { return new MemorySpec(sizeMiB, backend, nodes, balloon, memLock, padKiB); }

    public MemorySpec withBalloon(boolean on) { return new MemorySpec(sizeMiB, backend, numaNodes, on, memLock, padKiB); }

    public MemorySpec withMemLock(boolean on) { return new MemorySpec(sizeMiB, backend, numaNodes, balloon, on, padKiB); }

    public MemorySpec withPadKiB(int kib) { return new MemorySpec(sizeMiB, backend, numaNodes, balloon, memLock, kib); }

    /** Whether the size is a plain {@code -m} (no backend, no NUMA nodes), the only kind {@link #padKiB} applies to. */
    public boolean plain() { return backend == null && numaNodes.isEmpty(); }
}

package io.kvmj.core.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A {@code memory-backend-*} object: RAM, file ({@code mem-path}, e.g. hugetlbfs or a temp dir) or memfd
 * (optionally {@code hugetlb}). {@code hugepageSizeKiB} is the hugepage size the backend needs (0 = none;
 * for a file backend under hugetlbfs set it so the renderer can check free pages).
 */
public record MemoryBackend(
        String id,
        BackendKind kind,
        long sizeMiB,
        Path memPath,
        boolean share,
        boolean prealloc,
        boolean hugetlb,
        long hugepageSizeKiB,
        List<Integer> hostNodes,
        HostNodePolicy policy) {

    public MemoryBackend {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        if (sizeMiB < 1) {
            throw new InvalidSpecException("memory.backend[" + id + "].size", sizeMiB, "must be at least 1 MiB");
        }
        if (kind == BackendKind.FILE && memPath == null) {
            throw new InvalidSpecException("memory.backend[" + id + "].mem-path", null, "memory-backend-file needs a mem-path");
        }
        if (kind != BackendKind.FILE && memPath != null) {
            throw new InvalidSpecException("memory.backend[" + id + "].mem-path", memPath, "only memory-backend-file takes a mem-path");
        }
        if (hugetlb && kind != BackendKind.MEMFD) {
            throw new InvalidSpecException("memory.backend[" + id + "].hugetlb", true, "hugetlb is a memory-backend-memfd option");
        }
        if (hugepageSizeKiB < 0) {
            throw new InvalidSpecException("memory.backend[" + id + "].hugetlbsize", hugepageSizeKiB, "negative");
        }
        hostNodes = List.copyOf(hostNodes == null ? List.of() : hostNodes);
        policy = policy == null ? HostNodePolicy.DEFAULT : policy;
    }

    /**
     * True when the backend uses hugepages: memfd with hugetlb, a file backend with a hugepage size, or a file
     * backend whose mem-path is under {@code /dev/hugepages} (the usual hugetlbfs mount; default page size).
     */
    public boolean usesHugepages() {
        return hugetlb || (kind == BackendKind.FILE && (hugepageSizeKiB > 0 || memPath.toAbsolutePath().startsWith("/dev/hugepages")));
    }

    public static Builder ram(String id, long sizeMiB) { return new Builder(id, BackendKind.RAM, sizeMiB); }

    public static Builder file(String id, long sizeMiB, Path memPath) {
        Builder b = new Builder(id, BackendKind.FILE, sizeMiB);
        b.memPath = memPath;
        return b;
    }

    public static Builder memfd(String id, long sizeMiB) { return new Builder(id, BackendKind.MEMFD, sizeMiB); }

    /** Builder for {@link MemoryBackend}. */
    public static final class Builder {
        private final String id;
        private final BackendKind kind;
        private final long sizeMiB;
        private Path memPath;
        private boolean share;
        private boolean prealloc;
        private boolean hugetlb;
        private long hugepageSizeKiB;
        private List<Integer> hostNodes = List.of();
        private HostNodePolicy policy = HostNodePolicy.DEFAULT;

        private Builder(String id, BackendKind kind, long sizeMiB) {
            this.id = id;
            this.kind = kind;
            this.sizeMiB = sizeMiB;
        }

        public Builder share(boolean v) { share = v; return this; }

        public Builder prealloc(boolean v) { prealloc = v; return this; }

        /** memfd only: back with hugetlbfs pages of the given size (KiB, e.g. 2048 or 1048576). */
        public Builder hugetlb(long pageSizeKiB) { hugetlb = true; hugepageSizeKiB = pageSizeKiB; return this; }

        /** file only: the mem-path is on hugetlbfs with this page size (KiB); enables the free-page check. */
        public Builder hugepages(long pageSizeKiB) { hugepageSizeKiB = pageSizeKiB; return this; }

        public Builder hostNodes(HostNodePolicy p, Integer... nodes) { policy = p; hostNodes = List.of(nodes); return this; }

        public MemoryBackend build() {
            return new MemoryBackend(id, kind, sizeMiB, memPath, share, prealloc, hugetlb, hugepageSizeKiB, hostNodes, policy);
        }
    }
}

package io.kvmj.core.host;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory features for guest RAM: hugepage pools, transparent hugepage modes ({@code null} when the kernel has no
 * THP), hugetlbfs mount points from {@code /proc/mounts}, and KSM state ({@code ksmRun}: 0 stopped, 1 running,
 * 2 unmerging, -1 no KSM).
 */
public record MemoryFacts(List<HugepagePool> hugepages, String thpEnabled, String thpDefrag,
        List<String> hugetlbfsMounts, int ksmRun, long ksmPagesSharing) {

    private static final Pattern SELECTED = Pattern.compile("\\[([^\\]]+)]");

    /** Reads everything below the root. */
    public static MemoryFacts read(HostRoot root) {
        List<String> mounts = new ArrayList<>();
        for (String line : root.lines("/proc/mounts")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[2].equals("hugetlbfs")) {
                mounts.add(f[1]);
            }
        }
        return new MemoryFacts(HugepagePool.read(root),
                selected(root, "/sys/kernel/mm/transparent_hugepage/enabled"),
                selected(root, "/sys/kernel/mm/transparent_hugepage/defrag"), List.copyOf(mounts),
                (int) root.readLong("/sys/kernel/mm/ksm/run", -1),
                root.readLong("/sys/kernel/mm/ksm/pages_sharing", 0));
    }

    private static String selected(HostRoot root, String path) {
        return root.read(path).map(s -> {
            Matcher m = SELECTED.matcher(s);
            return m.find() ? m.group(1) : s;
        }).orElse(null);
    }
}

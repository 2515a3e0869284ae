package io.kvmj.core.host;

import java.util.ArrayList;
import java.util.List;

/** One hugepage size under {@code /sys/kernel/mm/hugepages}: page counts total, free, reserved and surplus. */
public record HugepagePool(long sizeKb, long total, long free, long reserved, long surplus) {

    /** A human size such as {@code 2M} or {@code 1G}. */
    public String sizeLabel() {
        if (sizeKb >= 1024 * 1024 && sizeKb % (1024 * 1024) == 0) {
            return sizeKb / (1024 * 1024) + "G";
        }
        if (sizeKb >= 1024 && sizeKb % 1024 == 0) {
            return sizeKb / 1024 + "M";
        }
        return sizeKb + "K";
    }

    /** Every {@code hugepages-<N>kB} directory, smallest size first. */
    public static List<HugepagePool> read(HostRoot root) {
        List<HugepagePool> out = new ArrayList<>();
        String base = "/sys/kernel/mm/hugepages";
        for (String d : root.list(base)) {
            if (!d.startsWith("hugepages-") || !d.endsWith("kB")) {
                continue;
            }
            long size;
            try {
                size = Long.parseLong(d.substring("hugepages-".length(), d.length() - 2));
            } catch (NumberFormatException e) {
                continue;
            }
            String p = base + "/" + d + "/";
            out.add(new HugepagePool(size, root.readLong(p + "nr_hugepages", 0), root.readLong(p + "free_hugepages", 0),
                    root.readLong(p + "resv_hugepages", 0), root.readLong(p + "surplus_hugepages", 0)));
        }
        out.sort((a, b) -> Long.compare(a.sizeKb(), b.sizeKb()));
        return out;
    }
}

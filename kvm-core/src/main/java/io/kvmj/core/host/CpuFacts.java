package io.kvmj.core.host;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * CPU facts from {@code /proc/cpuinfo} (first processor block): vendor, model, logical CPU count, whether
 * {@code vmx} (Intel VT-x) or {@code svm} (AMD-V) is present, the {@code hypervisor} bit, the VT-x sub-features
 * the kernel lists under "vmx flags", and a selection of flags relevant to guests.
 */
public record CpuFacts(String vendor, String modelName, int logicalCpus, boolean vmx, boolean svm,
        boolean hypervisor, List<String> vmxFlags, List<String> notableFlags) {

    /** Flags reported in {@link #notableFlags()} when present. */
    public static final List<String> NOTABLE = List.of("vmx", "svm", "hypervisor", "lm", "nx", "pae", "pdpe1gb",
            "pse", "x2apic", "aes", "avx", "avx2", "avx512f", "sse4_2", "constant_tsc", "nonstop_tsc",
            "tsc_deadline_timer", "npt", "sev", "sev_es", "sev_snp", "tme", "ept", "vpid", "flexpriority");

    /** Whether either hardware virtualisation extension is present. */
    public boolean hardwareVirtualization() {
        return vmx || svm;
    }

    /** Reads {@code /proc/cpuinfo} below the root. */
    public static CpuFacts read(HostRoot root) {
        String vendor = "";
        String model = "";
        int cpus = 0;
        Set<String> flags = new LinkedHashSet<>();
        List<String> vmxFlags = new ArrayList<>();
        boolean firstBlock = true;
        for (String line : root.lines("/proc/cpuinfo")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                if (line.isBlank() && cpus > 0) {
                    firstBlock = false;
                }
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("processor")) {
                cpus++;
            } else if (firstBlock) {
                switch (key) {
                    case "vendor_id":
                        vendor = value;
                        break;
                    case "model name":
                        model = value;
                        break;
                    case "flags":
                        flags.addAll(Arrays.asList(value.split("\\s+")));
                        break;
                    case "vmx flags":
                        vmxFlags.addAll(Arrays.asList(value.split("\\s+")));
                        break;
                    default:
                        break;
                }
            }
        }
        List<String> notable = new ArrayList<>();
        for (String f : NOTABLE) {
            if (flags.contains(f)) {
                notable.add(f);
            }
        }
        return new CpuFacts(vendor, model, cpus, flags.contains("vmx"), flags.contains("svm"),
                flags.contains("hypervisor"), List.copyOf(vmxFlags), List.copyOf(notable));
    }
}

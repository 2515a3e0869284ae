package io.kvmj.core.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded KVM kernel module as seen in {@code /sys/module} ({@code kvm}, {@code kvm_intel}, {@code kvm_amd},
 * {@code kvm_pvm}, ...) with its readable parameters (sorted by name). {@code /sys/module} also lists built-in modules that have
 * parameters, and works where {@code /proc/modules} does not exist.
 */
public record KvmModule(String name, Map<String, String> parameters) {

    /** The hardware-virtualisation modules. */
    public static final List<String> HARDWARE_MODULES = List.of("kvm_intel", "kvm_amd");

    public KvmModule {
        parameters = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(parameters));
    }

    /** Whether this is {@code kvm_intel} or {@code kvm_amd}. */
    public boolean hardware() {
        return HARDWARE_MODULES.contains(name);
    }

    /** A parameter as a boolean ({@code Y}/{@code 1} true, {@code N}/{@code 0} false), or null if absent. */
    public Boolean flag(String parameter) {
        String v = parameters.get(parameter);
        if (v == null) {
            return null;
        }
        return v.equalsIgnoreCase("Y") || v.equals("1");
    }

    /** Every {@code /sys/module/kvm*} directory below the root, sorted by name. */
    public static List<KvmModule> read(HostRoot root) {
        List<KvmModule> out = new ArrayList<>();
        for (String name : root.list("/sys/module")) {
            if (!name.equals("kvm") && !name.startsWith("kvm_")) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            String dir = "/sys/module/" + name + "/parameters";
            for (String p : root.list(dir)) {
                root.read(dir + "/" + p).ifPresent(v -> params.put(p, v));
            }
            out.add(new KvmModule(name, params));
        }
        return out;
    }
}

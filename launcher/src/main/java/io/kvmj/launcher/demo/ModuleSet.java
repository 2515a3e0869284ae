package io.kvmj.launcher.demo;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The kernel modules the demo guest loads, in load order, plus what did not need loading.
 *
 * @param modules  modules to insmod, dependencies first
 * @param builtin  wanted modules compiled into the kernel (nothing to load)
 * @param missing  wanted modules found neither as files nor as built-ins (the guest relies on the kernel having them)
 * @param note     human explanation of where the modules came from
 */
public record ModuleSet(List<KernelModule> modules, List<String> builtin, List<String> missing, String note) {
    public ModuleSet {
        modules = List.copyOf(modules);
        builtin = List.copyOf(builtin);
        missing = List.copyOf(missing);
    }

    /** An empty set: the guest relies entirely on drivers built into its kernel. */
    public static ModuleSet builtInOnly(String note) {
        return new ModuleSet(List.of(), List.of(), List.of(), note);
    }

    /** Module names in load order. */
    public List<String> loadOrder() {
        return modules.stream().map(KernelModule::name).collect(Collectors.toList());
    }
}

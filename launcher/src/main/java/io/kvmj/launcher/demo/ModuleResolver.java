package io.kvmj.launcher.demo;

import io.kvmj.core.model.NinePShare;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the modules the demo guest needs in a module tree ({@code /lib/modules/VERSION} or an unpacked Debian
 * package) and orders them so every module follows its dependencies (read from each module's .modinfo).
 * Modules listed in {@code modules.builtin} are skipped: they are compiled into the kernel.
 */
public final class ModuleResolver {
    /** virtio PCI transport and virtio-blk, in load order. */
    public static final List<String> VIRTIO_BLK_MODULES = List.of(
        "virtio_ring", "virtio", "virtio_pci_legacy_dev", "virtio_pci_modern_dev", "virtio_pci", "virtio_blk");

    /**
     * The ACPI power button ({@code button}, so QMP {@code system_powerdown} reaches the guest as an input event)
     * and {@code evdev} (its {@code /dev/input/event*} node, read by busybox acpid).
     */
    public static final List<String> ACPI_BUTTON_MODULES = List.of("button", "evdev");

    /**
     * What the demo guest needs: {@link #VIRTIO_BLK_MODULES}, {@link #ACPI_BUTTON_MODULES}, then the 9p share's
     * {@link NinePShare#GUEST_MODULES}.
     */
    public static final List<String> DEMO_MODULES = Stream.of(VIRTIO_BLK_MODULES, ACPI_BUTTON_MODULES,
        NinePShare.GUEST_MODULES).flatMap(List::stream).toList();

    private ModuleResolver() {}

    /**
     * Resolves {@code wanted} (and their dependencies) under {@code moduleTree}.
     *
     * @param moduleTree a directory like {@code /lib/modules/6.1.0-56-amd64}
     */
    public static ModuleSet resolve(Path moduleTree, List<String> wanted) throws IOException {
        Map<String, Path> files = index(moduleTree);
        Set<String> builtin = builtins(moduleTree);
        Map<String, KernelModule> ordered = new LinkedHashMap<>();
        List<String> builtinHit = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<String> visiting = new HashSet<>();
        for (String w : wanted) {
            add(KernelModule.normalize(w), files, builtin, ordered, builtinHit, missing, visiting);
        }
        String note = ordered.size() + " module(s) from " + moduleTree
            + (builtinHit.isEmpty() ? "" : "; built in: " + String.join(",", builtinHit))
            + (missing.isEmpty() ? "" : "; not found (relying on the kernel having them built in): "
                + String.join(",", missing));
        return new ModuleSet(new ArrayList<>(ordered.values()), builtinHit, missing, note);
    }

    private static void add(String name, Map<String, Path> files, Set<String> builtin,
                            Map<String, KernelModule> ordered, List<String> builtinHit, List<String> missing,
                            Set<String> visiting) throws IOException {
        if (ordered.containsKey(name) || builtinHit.contains(name) || missing.contains(name)) {
            return;
        }
        if (builtin.contains(name)) {
            builtinHit.add(name);
            return;
        }
        Path f = files.get(name);
        if (f == null) {
            missing.add(name);
            return;
        }
        if (!visiting.add(name)) {
            throw new IOException("kernel module dependency cycle involving " + name + " in " + f);
        }
        KernelModule m = KernelModule.read(f);
        for (String d : m.depends()) {
            add(d, files, builtin, ordered, builtinHit, missing, visiting);
        }
        visiting.remove(name);
        ordered.put(name, m);
    }

    /** Maps module name to file for every module file under {@code tree}. */
    static Map<String, Path> index(Path tree) throws IOException {
        Map<String, Path> out = new HashMap<>();
        if (!Files.isDirectory(tree)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(tree)) {
            s.filter(p -> KernelModule.isModuleFile(p.getFileName().toString()) && Files.isRegularFile(p))
                .sorted()
                .forEach(p -> out.putIfAbsent(KernelModule.nameOf(p), p));
        }
        return out;
    }

    /** Names listed in {@code modules.builtin} (empty when the file is absent). */
    static Set<String> builtins(Path tree) throws IOException {
        Set<String> out = new HashSet<>();
        Path f = tree.resolve("modules.builtin");
        if (Files.isReadable(f)) {
            for (String line : Files.readAllLines(f)) {
                if (!line.isBlank()) {
                    out.add(KernelModule.nameOf(line.trim()));
                }
            }
        }
        return out;
    }
}

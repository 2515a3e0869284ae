package io.kvmj.launcher.demo;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian {@code linux-image-*-amd64} kernels cached under {@code <cache>/kernels/<package>_<version>/}. The first
 * use downloads the package the {@code linux-image-amd64} metapackage points at; later runs reuse the cache
 * (delete the directory to refresh). Only vmlinuz and the modules the demo guest needs are kept; the entry records
 * which modules it was made for ({@code wanted}), and an entry made for fewer modules than
 * {@link ModuleResolver#DEMO_MODULES} (an older kvmj) is outdated: lookups skip it and the next fetch replaces it.
 */
public final class DebianKernelCache {
    private static final Logger LOG = LoggerFactory.getLogger(DebianKernelCache.class);
    static final String META = "linux-image-amd64";
    static final String PROPS = "kernel.properties";
    /** Property listing the module names an entry was extracted for. */
    static final String WANTED = "wanted";

    private final Path kernelsDir;

    /** @param cacheRoot the kvmj cache root (see {@link KvmjCache#defaultRoot}) */
    public DebianKernelCache(Path cacheRoot) {
        this.kernelsDir = cacheRoot.resolve("kernels");
    }

    /** The most recently installed complete and current cache entry, if any. */
    public Optional<CachedKernel> findCached() {
        return entries().filter(k -> isCurrent(k.dir())).max(Comparator.comparing(DebianKernelCache::installedAt));
    }

    /**
     * The most recently installed complete entry even if outdated (made for fewer modules than the demo needs now):
     * a fallback when refreshing is impossible (offline).
     */
    public Optional<CachedKernel> findOutdated() {
        return entries().max(Comparator.comparing(DebianKernelCache::installedAt));
    }

    /** A current cache entry for the given kernel release, if any. */
    public Optional<CachedKernel> findCachedRelease(String release) {
        return entries().filter(k -> k.release().equals(release) && isCurrent(k.dir())).findFirst();
    }

    /** Downloads the current default Debian kernel ({@code linux-image-amd64}) into the cache. */
    public CachedKernel fetchDefault() {
        return fetchPackage(DebianPackages.resolveMetapackage(META, "linux-image-"));
    }

    /** Downloads the Debian kernel package of a release such as {@code 6.1.0-56-amd64} into the cache. */
    public CachedKernel fetchRelease(String release) {
        return fetchPackage("linux-image-" + release);
    }

    private CachedKernel fetchPackage(String pkg) {
        String version = DebianPackages.candidateVersion(pkg);
        Path target = kernelsDir.resolve(pkg + "_" + version.replace(':', '%'));
        return install(target, entry -> populate(pkg, version, entry));
    }

    /**
     * Returns the entry at {@code target} if it is complete and current; otherwise fills it with {@code populator}
     * (replacing an outdated entry in one rename, so concurrent readers keep a usable kernel).
     */
    CachedKernel install(Path target, KvmjCache.Populator populator) {
        Optional<CachedKernel> have = load(target);
        if (have.isPresent() && isCurrent(target)) {
            return have.get();
        }
        try {
            if (Files.exists(target)) {
                LOG.info("kernel cache entry {} lacks modules the demo needs now ({}): refreshing it", target,
                    String.join(",", ModuleResolver.DEMO_MODULES));
                KvmjCache.replaceAtomically(target, populator);
            } else {
                LOG.info("fetching guest kernel into {}", target);
                KvmjCache.installAtomically(target, populator);
            }
        } catch (IOException e) {
            throw new DemoException("could not cache kernel " + target.getFileName() + " in " + kernelsDir + ": "
                + e, e);
        }
        return load(target).filter(k -> isCurrent(target))
            .orElseThrow(() -> new DemoException("kernel cache entry " + target + " is incomplete"));
    }

    /** True when the entry's {@code wanted} property covers every module in {@link ModuleResolver#DEMO_MODULES}. */
    static boolean isCurrent(Path dir) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(PROPS))) {
            p.load(r);
        } catch (IOException e) {
            return false;
        }
        Set<String> wanted = new HashSet<>();
        for (String w : p.getProperty(WANTED, "").split(",")) {
            if (!w.isBlank()) {
                wanted.add(KernelModule.normalize(w.strip()));
            }
        }
        return ModuleResolver.DEMO_MODULES.stream().map(KernelModule::normalize).allMatch(wanted::contains);
    }

    private static void populate(String pkg, String version, Path entry) throws IOException {
        Path scratch = entry.resolveSibling("scratch");
        Files.createDirectories(scratch);
        Path deb = DebianPackages.download(pkg, scratch);
        Path root = scratch.resolve("root");
        DebianPackages.extract(deb, root);
        Path vmlinuz;
        try (Stream<Path> s = Files.list(root.resolve("boot"))) {
            vmlinuz = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).findFirst()
                .orElseThrow(() -> new DemoException("package " + pkg + " contains no boot/vmlinuz-*"));
        }
        String release = vmlinuz.getFileName().toString().substring("vmlinuz-".length());
        Path tree = root.resolve("lib/modules").resolve(release);
        ModuleSet set = ModuleResolver.resolve(tree, ModuleResolver.DEMO_MODULES);
        Files.copy(vmlinuz, entry.resolve("vmlinuz"));
        Path modules = Files.createDirectories(entry.resolve("modules"));
        for (String f : List.of("modules.builtin", "modules.order")) {
            if (Files.exists(tree.resolve(f))) {
                Files.copy(tree.resolve(f), modules.resolve(f));
            }
        }
        for (KernelModule m : set.modules()) {
            Path dest = modules.resolve(tree.relativize(m.file()).toString());
            Files.createDirectories(dest.getParent());
            Files.copy(m.file(), dest, StandardCopyOption.COPY_ATTRIBUTES);
        }
        Properties p = new Properties();
        p.setProperty("package", pkg);
        p.setProperty("version", version);
        p.setProperty("release", release);
        p.setProperty("installed", Instant.now().toString());
        p.setProperty("modules", String.join(",", set.loadOrder()));
        p.setProperty(WANTED, String.join(",", ModuleResolver.DEMO_MODULES));
        try (Writer w = Files.newBufferedWriter(entry.resolve(PROPS))) {
            p.store(w, "kvmj demo guest kernel, from 'apt-get download " + pkg + "'");
        }
        KvmjCache.deleteTree(scratch);
    }

    private Stream<CachedKernel> entries() {
        if (!Files.isDirectory(kernelsDir)) {
            return Stream.empty();
        }
        try (Stream<Path> s = Files.list(kernelsDir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                .map(DebianKernelCache::load).flatMap(Optional::stream).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<CachedKernel> load(Path dir) {
        Path props = dir.resolve(PROPS);
        if (!Files.isRegularFile(props) || !Files.isRegularFile(dir.resolve("vmlinuz"))) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(props)) {
            p.load(r);
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new CachedKernel(dir, p.getProperty("package", "?"), p.getProperty("version", "?"),
            p.getProperty("release", "?")));
    }

    private static FileTime installedAt(CachedKernel k) {
        try {
            return Files.getLastModifiedTime(k.dir().resolve(PROPS));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}

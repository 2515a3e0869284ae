package io.kvmj.launcher.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the demo guest kernel: the first of {@code --kernel}, {@code $KVMJ_KERNEL}, a readable
 * {@code /boot/vmlinuz-$(uname -r)}, or a Debian kernel from the kvmj cache (downloaded once with apt-get).
 * For a user-supplied kernel the modules come from {@code /lib/modules/RELEASE}, else from the Debian package of
 * the same release, else the guest relies on built-in drivers (stated in {@link ModuleSet#note()}).
 */
public final class KernelLocator {
    private static final Logger LOG = LoggerFactory.getLogger(KernelLocator.class);
    private static final Pattern DEBIAN_RELEASE = Pattern.compile("\\d+\\.\\d+\\.\\d+-\\d+-(cloud-|rt-)?amd64");

    /**
     * The host facts the lookup depends on (injectable for tests).
     *
     * @param env          environment variables
     * @param bootDir      normally {@code /boot}
     * @param unameRelease the running kernel's release ({@code uname -r})
     * @param libModules   normally {@code /lib/modules}
     * @param debian       the Debian kernel cache
     */
    public record Host(Map<String, String> env, Path bootDir, String unameRelease, Path libModules,
                       DebianKernelCache debian) {
        /** This machine, with the kvmj cache at {@link KvmjCache#defaultRoot}. */
        public static Host current() {
            Map<String, String> env = System.getenv();
            return new Host(env, Path.of("/boot"), readUnameRelease(), Path.of("/lib/modules"),
                new DebianKernelCache(KvmjCache.defaultRoot(env)));
        }

        private static String readUnameRelease() {
            try {
                return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
            } catch (IOException e) {
                return System.getProperty("os.version");
            }
        }
    }

    private final Host host;

    public KernelLocator(Host host) {
        this.host = host;
    }

    /** A locator for this machine. */
    public static KernelLocator forThisHost() {
        return new KernelLocator(Host.current());
    }

    /**
     * Locates the kernel and its modules.
     *
     * @param explicit the {@code --kernel} value, or null
     * @throws DemoException naming the file when a given kernel is missing or unreadable, or explaining why no
     *                       kernel could be fetched
     */
    public GuestKernel locate(Path explicit) {
        if (explicit != null) {
            return userKernel(checked(explicit, "given with --kernel"), GuestKernel.Source.OPTION);
        }
        String env = host.env().get("KVMJ_KERNEL");
        if (env != null && !env.isBlank()) {
            return userKernel(checked(Path.of(env), "from $KVMJ_KERNEL"), GuestKernel.Source.ENV);
        }
        Path boot = host.bootDir().resolve("vmlinuz-" + host.unameRelease());
        if (Files.isRegularFile(boot) && Files.isReadable(boot)) {
            return userKernel(boot, GuestKernel.Source.BOOT);
        }
        Optional<CachedKernel> cached = host.debian().findCached();
        if (cached.isPresent()) {
            return fromCache(cached.get(), GuestKernel.Source.DEBIAN_CACHE);
        }
        Optional<CachedKernel> outdated = host.debian().findOutdated();
        LOG.info("no kernel given and {} not readable: fetching Debian's kernel (once{})", boot,
            outdated.isPresent() ? "; the cached one lacks modules the demo needs now" : "");
        try {
            return fromCache(host.debian().fetchDefault(), GuestKernel.Source.DEBIAN_DOWNLOAD);
        } catch (DemoException e) {
            if (outdated.isEmpty()) {
                throw e;
            }
            LOG.warn("cannot refresh the kernel cache ({}); using the outdated entry {} (the guest may lack the"
                + " ACPI power button)", e.getMessage(), outdated.get().dir());
            return fromCache(outdated.get(), GuestKernel.Source.DEBIAN_CACHE);
        }
    }

    private static Path checked(Path p, String how) {
        if (!Files.exists(p)) {
            throw new DemoException("kernel file not found: " + p + " (" + how + ")");
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new DemoException("kernel file is not a readable regular file: " + p + " (" + how + ")");
        }
        return p;
    }

    private static GuestKernel fromCache(CachedKernel k, GuestKernel.Source source) {
        try {
            ModuleSet set = ModuleResolver.resolve(k.moduleTree(), ModuleResolver.DEMO_MODULES);
            return new GuestKernel(k.kernel(), Optional.of(k.release()), source,
                new ModuleSet(set.modules(), set.builtin(), set.missing(),
                    set.note() + " (package " + k.packageName() + " " + k.packageVersion() + ")"));
        } catch (IOException e) {
            throw new DemoException("kernel cache entry " + k.dir() + " is unreadable: " + e.getMessage(), e);
        }
    }

    private GuestKernel userKernel(Path kernel, GuestKernel.Source source) {
        Optional<String> release;
        try {
            release = BinaryFormats.bzImageRelease(kernel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel " + kernel, e);
        }
        return new GuestKernel(kernel, release, source, modulesFor(release));
    }

    private ModuleSet modulesFor(Optional<String> release) {
        if (release.isEmpty()) {
            return ModuleSet.builtInOnly("kernel release unknown (not a bzImage?): the guest relies on built-in drivers");
        }
        String r = release.get();
        try {
            Path tree = host.libModules().resolve(r);
            if (Files.isDirectory(tree)) {
                return ModuleResolver.resolve(tree, ModuleResolver.DEMO_MODULES);
            }
            if (DEBIAN_RELEASE.matcher(r).matches()) {
                Optional<CachedKernel> k = host.debian().findCachedRelease(r);
                CachedKernel ck = k.isPresent() ? k.get() : host.debian().fetchRelease(r);
                ModuleSet set = ModuleResolver.resolve(ck.moduleTree(), ModuleResolver.DEMO_MODULES);
                return new ModuleSet(set.modules(), set.builtin(), set.missing(),
                    set.note() + " (Debian package " + ck.packageName() + " matching the kernel)");
            }
        } catch (IOException e) {
            throw new DemoException("cannot read kernel modules for " + r + ": " + e.getMessage(), e);
        } catch (DemoException e) {
            LOG.warn("no Debian modules for kernel {}: {}", r, e.getMessage());
        }
        return ModuleSet.builtInOnly("no modules for kernel " + r + " in " + host.libModules()
            + " or a matching Debian package: the guest relies on built-in virtio/9p drivers");
    }
}

package io.kvmj.launcher.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a statically linked x86-64 busybox for the guest: the host's {@code /bin/busybox} (Debian's
 * busybox-static) when it is static, else a copy cached under {@code <cache>/busybox/<version>/}, downloaded
 * once with {@code apt-get download busybox-static}.
 */
public final class BusyboxLocator {
    private static final Logger LOG = LoggerFactory.getLogger(BusyboxLocator.class);
    static final List<Path> HOST_CANDIDATES = List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));
    static final String PACKAGE = "busybox-static";

    private BusyboxLocator() {}

    /**
     * A static busybox binary plus where it came from.
     *
     * @param path   the binary
     * @param origin human description
     */
    public record Busybox(Path path, String origin) {}

    /** Locates (or fetches) a static busybox. */
    public static Busybox locate(Path cacheRoot) {
        return locate(HOST_CANDIDATES, cacheRoot);
    }

    static Busybox locate(List<Path> hostCandidates, Path cacheRoot) {
        for (Path p : hostCandidates) {
            if (isStatic(p)) {
                return new Busybox(p, "host " + p + " (static)");
            }
        }
        Path dir = cacheRoot.resolve("busybox");
        Optional<Path> cached = cached(dir);
        if (cached.isPresent()) {
            return new Busybox(cached.get(), "kvmj cache " + cached.get());
        }
        String version = DebianPackages.candidateVersion(PACKAGE);
        Path target = dir.resolve(version.replace(':', '%'));
        LOG.info("host has no static busybox: fetching {} {} into {}", PACKAGE, version, target);
        try {
            KvmjCache.installAtomically(target, entry -> {
                Path scratch = Files.createDirectories(entry.resolveSibling("scratch"));
                Path root = scratch.resolve("root");
                DebianPackages.extract(DebianPackages.download(PACKAGE, scratch), root);
                Path bb = root.resolve("bin/busybox");
                if (!isStatic(bb)) {
                    throw new DemoException("package " + PACKAGE + " has no static x86-64 bin/busybox");
                }
                Files.copy(bb, entry.resolve("busybox"));
            });
        } catch (IOException e) {
            throw new DemoException("could not cache " + PACKAGE + " in " + dir + ": " + e, e);
        }
        return new Busybox(target.resolve("busybox"), "downloaded " + PACKAGE + " " + version);
    }

    private static Optional<Path> cached(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                .map(p -> p.resolve("busybox")).filter(BusyboxLocator::isStatic).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean isStatic(Path p) {
        try {
            return Files.isRegularFile(p) && BinaryFormats.isStaticX86_64Elf(p);
        } catch (IOException e) {
            return false;
        }
    }
}

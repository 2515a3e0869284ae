package io.kvmj.launcher.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Finds executables on {@code PATH} (plus /usr/sbin, /sbin, /usr/bin, /bin), caching the answer. */
public final class Executables {
    private static final ConcurrentMap<String, Optional<Path>> CACHE = new ConcurrentHashMap<>();

    private Executables() {}

    /** The absolute path of executable {@code name}, or empty. */
    public static Optional<Path> find(String name) {
        return name.contains("/") ? lookup(name) : CACHE.computeIfAbsent(name, Executables::lookup);
    }

    private static Optional<Path> lookup(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}

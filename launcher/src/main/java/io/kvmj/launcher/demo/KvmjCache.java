package io.kvmj.launcher.demo;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The kvmj download cache: {@code $XDG_CACHE_HOME/kvmj} (default {@code ~/.cache/kvmj}). Entries are created
 * in a temporary sibling directory and renamed into place, so an interrupted run never leaves a half entry.
 */
public final class KvmjCache {
    private static final String TMP_PREFIX = ".tmp-";

    private KvmjCache() {}

    /** The cache root for the given environment (XDG_CACHE_HOME respected; HOME or user.home otherwise). */
    public static Path defaultRoot(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "kvmj");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".cache", "kvmj");
    }

    /** Fills a fresh directory. */
    @FunctionalInterface
    public interface Populator {
        void populate(Path dir) throws IOException;
    }

    /**
     * Creates {@code target} atomically: {@code populator} fills a temporary directory next to it, which is then
     * renamed to {@code target}. If another process won the race, its entry is kept and ours is discarded.
     */
    public static Path installAtomically(Path target, Populator populator) throws IOException {
        return populateAndRename(target, populator, false);
    }

    /**
     * Replaces the directory {@code target} (which may be missing): {@code populator} fills a temporary directory
     * next to it first, then the old entry is renamed away and the new one renamed into place, so readers see the
     * old or the new entry except during the instant between the two renames.
     */
    public static Path replaceAtomically(Path target, Populator populator) throws IOException {
        return populateAndRename(target, populator, true);
    }

    /** Fills a temporary directory next to {@code target}, retires the old entry if asked, renames it in. */
    private static Path populateAndRename(Path target, Populator populator, boolean replace) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        sweepStale(parent);
        Path tmp = Files.createTempDirectory(parent, TMP_PREFIX + target.getFileName() + "-");
        try {
            Path entry = tmp.resolve("entry");
            Files.createDirectory(entry);
            populator.populate(entry);
            if (replace) {
                try {
                    Files.move(target, tmp.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.NoSuchFileException e) {
                    // nothing to replace (or a concurrent run retired it first)
                }
            }
            try {
                Files.move(entry, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + entry + " to " + target + " atomically", e);
            } catch (IOException e) {
                // EEXIST/ENOTEMPTY: a concurrent run installed it first; keep theirs
                if (!Files.isDirectory(target)) {
                    throw e;
                }
            }
            return target;
        } finally {
            deleteTree(tmp);
        }
    }

    /** Deletes a directory tree if it exists (best effort for files that vanish meanwhile). */
    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Removes temporary directories left by runs killed more than a day ago. */
    private static void sweepStale(Path parent) {
        Instant cutoff = Instant.now().minus(Duration.ofDays(1));
        try (Stream<Path> s = Files.list(parent)) {
            s.filter(p -> p.getFileName().toString().startsWith(TMP_PREFIX)).forEach(p -> {
                try {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        deleteTree(p);
                    }
                } catch (IOException ignored) {
                    // another run may be using or deleting it
                }
            });
        } catch (IOException ignored) {
            // nothing to sweep
        }
    }
}

package io.kvmj.core.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The root directory host files are read from: {@code /} on a real host, a temporary tree in tests. Absolute
 * host paths such as {@code /proc/cpuinfo} are resolved below it. Read helpers return empty results for
 * missing or unreadable files instead of throwing: a probe reports what it can see.
 */
public record HostRoot(Path root) {

    /** The real host ({@code /}). */
    public static HostRoot system() {
        return new HostRoot(Path.of("/"));
    }

    /** Resolves an absolute host path below the root. */
    public Path path(String absolute) {
        String rel = absolute.startsWith("/") ? absolute.substring(1) : absolute;
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    /** Whether the path exists (following links). */
    public boolean exists(String absolute) {
        return Files.exists(path(absolute));
    }

    /** The file's content with surrounding whitespace trimmed, or empty if missing or unreadable. */
    public Optional<String> read(String absolute) {
        try {
            return Optional.of(Files.readString(path(absolute), StandardCharsets.UTF_8).trim());
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The file's content parsed as a long, or {@code fallback}. */
    public long readLong(String absolute, long fallback) {
        return read(absolute).map(s -> {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return fallback;
            }
        }).orElse(fallback);
    }

    /** The file's lines, or an empty list. */
    public List<String> lines(String absolute) {
        try {
            return Files.readAllLines(path(absolute), StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return List.of();
        }
    }

    /** Sorted names of a directory's entries, or an empty list. */
    public List<String> list(String absoluteDir) {
        try (Stream<Path> s = Files.list(path(absoluteDir))) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return List.of();
        }
    }

    /** The real host path of {@code absolute} as a string (for native calls such as open). */
    public String nativePath(String absolute) {
        return path(absolute).toString();
    }
}

package io.kvmj.launcher.cli;

import io.kvmj.launcher.demo.KvmjCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a QEMU binary answers about itself ({@code --version}, {@code -cpu help}, ...), kept in
 * {@code ~/.cache/kvmj/FACT/} keyed by the binary's real path, device, inode, size, modification and change times.
 * A QEMU that is upgraded, replaced or touched is asked again; what is returned is always what this very file
 * answered (or would answer now).
 *
 * <pre>{@code
 * Optional<String> help = QemuFactCache.of("qemu-cpus").get(Path.of("/usr/bin/qemu-system-x86_64"),
 *         bin -> Optional.of(run(bin, "-cpu", "help")));
 * }</pre>
 */
final class QemuFactCache {
    private final Path dir;

    private QemuFactCache(Path dir) {
        this.dir = dir;
    }

    /** The cache of one fact, under the user's kvmj cache ({@code ~/.cache/kvmj/FACT}). */
    static QemuFactCache of(String fact) {
        return new QemuFactCache(KvmjCache.defaultRoot(System.getenv()).resolve(fact));
    }

    /** The cache of one fact in {@code dir} (tests). */
    static QemuFactCache in(Path dir) {
        return new QemuFactCache(dir);
    }

    /**
     * The fact about {@code bin}: from the cache when this same file answered before, else {@code ask(bin)}, which
     * is remembered when present. A binary whose identity cannot be read is asked every time.
     */
    Optional<String> get(Path bin, Function<Path, Optional<String>> ask) {
        String key;
        Path entry;
        try {
            Path real = bin.toRealPath();
            Map<String, Object> a = Files.readAttributes(real, "unix:dev,ino,size,lastModifiedTime,ctime");
            key = real + " " + a.get("dev") + " " + a.get("ino") + " " + a.get("size") + " "
                    + a.get("lastModifiedTime") + " " + a.get("ctime");
            entry = dir.resolve(real.toString().substring(1).replace('/', '_'));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return ask.apply(bin);
        }
        try {
            String cached = Files.readString(entry, StandardCharsets.UTF_8);
            int nl = cached.indexOf('\n');
            if (nl > 0 && cached.substring(0, nl).equals(key)) {
                return Optional.of(cached.substring(nl + 1));
            }
        } catch (IOException e) {
            // not asked yet (or unreadable): ask QEMU
        }
        Optional<String> answer = ask.apply(bin);
        answer.ifPresent(v -> remember(entry, key, v));
        return answer;
    }

    /** Writes the entry under a temporary name and renames it in; a cache that cannot be written is skipped. */
    private static void remember(Path entry, String key, String value) {
        try {
            Files.createDirectories(entry.getParent());
            Path tmp = Files.createTempFile(entry.getParent(), ".tmp-", "");
            try {
                Files.writeString(tmp, key + "\n" + value, StandardCharsets.UTF_8);
                Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            // the answer is used anyway; the next run asks QEMU again
        }
    }
}

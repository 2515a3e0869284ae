package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outdated kernel cache entries (made by an older kvmj for fewer modules, e.g. before the ACPI button) are
 * skipped by lookups and replaced by the next fetch; current entries are reused without fetching.
 */
class DebianKernelCacheTest {
    private static final String NAME = "linux-image-6.1.0-9-amd64_6.1.1-1";

    @TempDir
    Path tmp;

    /** An entry as DebianKernelCache writes it; {@code wanted == null} is an entry of an older kvmj. */
    static Path entry(Path dir, String wanted, String marker) throws IOException {
        TestKernels.fakeBzImage(dir.resolve("vmlinuz"), "6.1.0-9-amd64 #1");
        Path mods = Files.createDirectories(dir.resolve("modules/kernel/drivers/virtio"));
        Files.write(mods.resolve("virtio_ring.ko"), ModuleResolverTest.fakeModule(""));
        Files.writeString(dir.resolve("marker"), marker);
        Files.writeString(dir.resolve(DebianKernelCache.PROPS),
            "package=linux-image-6.1.0-9-amd64\nversion=6.1.1-1\nrelease=6.1.0-9-amd64\nmodules=virtio_ring\n"
                + (wanted == null ? "" : "wanted=" + wanted + "\n"));
        return dir;
    }

    @Test
    void anOlderEntryWithoutTheButtonModulesIsOutdatedAndGetsReplaced() throws IOException {
        Path kernels = tmp.resolve("kvmj/kernels");
        Path target = entry(kernels.resolve(NAME), null, "old");
        DebianKernelCache cache = new DebianKernelCache(tmp.resolve("kvmj"));
        assertFalse(DebianKernelCache.isCurrent(target));
        assertTrue(cache.findCached().isEmpty(), "outdated entry not offered as the cached kernel");
        assertTrue(cache.findCachedRelease("6.1.0-9-amd64").isEmpty());
        assertEquals(target, cache.findOutdated().orElseThrow().dir(), "still usable as an offline fallback");

        CachedKernel k = cache.install(target, dir -> entry(dir, String.join(",", ModuleResolver.DEMO_MODULES), "new"));

        assertEquals(target, k.dir());
        assertEquals("new", Files.readString(target.resolve("marker")));
        assertTrue(DebianKernelCache.isCurrent(target));
        assertEquals(target, cache.findCached().orElseThrow().dir());
        try (Stream<Path> s = Files.list(kernels)) {
            assertEquals(List.of(NAME), s.map(p -> p.getFileName().toString()).toList(), "no leftovers");
        }
    }

    @Test
    void anEntryMadeForFewerModulesIsOutdated() throws IOException {
        Path target = entry(tmp.resolve(NAME), String.join(",", ModuleResolver.VIRTIO_BLK_MODULES), "old");
        assertFalse(DebianKernelCache.isCurrent(target));
    }

    @Test
    void aCurrentEntryIsReusedWithoutFetching() throws IOException {
        Path target = entry(tmp.resolve("kvmj/kernels").resolve(NAME),
            String.join(",", ModuleResolver.DEMO_MODULES), "current");
        DebianKernelCache cache = new DebianKernelCache(tmp.resolve("kvmj"));
        AtomicInteger fetches = new AtomicInteger();
        CachedKernel k = cache.install(target, dir -> fetches.incrementAndGet());
        assertEquals(0, fetches.get());
        assertEquals(target, k.dir());
        assertEquals("current", Files.readString(target.resolve("marker")));
        assertEquals(target, cache.findCached().orElseThrow().dir());
    }

    @Test
    void aMissingEntryIsInstalled() throws IOException {
        Path target = tmp.resolve("kvmj/kernels").resolve(NAME);
        CachedKernel k = new DebianKernelCache(tmp.resolve("kvmj"))
            .install(target, dir -> entry(dir, String.join(",", ModuleResolver.DEMO_MODULES), "fresh"));
        assertEquals(target, k.dir());
        assertEquals("fresh", Files.readString(target.resolve("marker")));
    }
}

package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelLocatorTest {
    @TempDir
    Path tmp;

    Path boot;
    Path libModules;
    Path cache;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        boot = Files.createDirectories(tmp.resolve("boot"));
        libModules = Files.createDirectories(tmp.resolve("lib/modules"));
        cache = tmp.resolve("cache/kvmj");
        env = new HashMap<>();
        // a complete cache entry, as DebianKernelCache writes it
        Path entry = Files.createDirectories(cache.resolve("kernels/linux-image-6.1.0-9-amd64_6.1.1-1"));
        TestKernels.fakeBzImage(entry.resolve("vmlinuz"), "6.1.0-9-amd64 #1");
        Path mods = Files.createDirectories(entry.resolve("modules/kernel/drivers/virtio"));
        Files.write(mods.resolve("virtio_ring.ko"), ModuleResolverTest.fakeModule(""));
        Files.writeString(entry.resolve("kernel.properties"),
            "package=linux-image-6.1.0-9-amd64\nversion=6.1.1-1\nrelease=6.1.0-9-amd64\nwanted="
                + String.join(",", ModuleResolver.DEMO_MODULES) + "\n");
    }

    KernelLocator locator() {
        return new KernelLocator(new KernelLocator.Host(env, boot, "6.5.0-test", libModules, new DebianKernelCache(cache)));
    }

    @Test
    void fallsBackToTheCachedDebianKernelWithItsModules() {
        GuestKernel k = locator().locate(null);
        assertEquals(GuestKernel.Source.DEBIAN_CACHE, k.source());
        assertEquals(cache.resolve("kernels/linux-image-6.1.0-9-amd64_6.1.1-1/vmlinuz"), k.kernel());
        assertEquals(Optional.of("6.1.0-9-amd64"), k.release());
        assertEquals(List.of("virtio_ring"), k.modules().loadOrder());
    }

    @Test
    void bootKernelBeatsTheCacheAndUsesLibModules() throws IOException {
        Path vmlinuz = TestKernels.fakeBzImage(boot.resolve("vmlinuz-6.5.0-test"), "6.5.0-test #2");
        Path m = Files.createDirectories(libModules.resolve("6.5.0-test/kernel"));
        Files.write(m.resolve("virtio.ko"), ModuleResolverTest.fakeModule("virtio_ring"));
        Files.write(m.resolve("virtio_ring.ko"), ModuleResolverTest.fakeModule(""));
        GuestKernel k = locator().locate(null);
        assertEquals(GuestKernel.Source.BOOT, k.source());
        assertEquals(vmlinuz, k.kernel());
        assertEquals(List.of("virtio_ring", "virtio"), k.modules().loadOrder());
    }

    @Test
    void envBeatsBootAndUnknownReleaseMeansBuiltInDrivers() throws IOException {
        TestKernels.fakeBzImage(boot.resolve("vmlinuz-6.5.0-test"), "6.5.0-test #2");
        Path custom = TestKernels.fakeBzImage(tmp.resolve("custom/bzImage"), "6.9.0-custom #1");
        env.put("KVMJ_KERNEL", custom.toString());
        GuestKernel k = locator().locate(null);
        assertEquals(GuestKernel.Source.ENV, k.source());
        assertEquals(custom, k.kernel());
        assertTrue(k.modules().modules().isEmpty());
        assertTrue(k.modules().note().contains("built-in"), k.modules().note());
    }

    @Test
    void optionBeatsEnvAndUsesTheCachedDebianModulesOfTheSameRelease() throws IOException {
        env.put("KVMJ_KERNEL", TestKernels.fakeBzImage(tmp.resolve("env/bz"), "6.9.0-x #1").toString());
        Path copy = TestKernels.fakeBzImage(tmp.resolve("mine/vmlinuz"), "6.1.0-9-amd64 (me) #1");
        GuestKernel k = locator().locate(copy);
        assertEquals(GuestKernel.Source.OPTION, k.source());
        assertEquals(copy, k.kernel());
        assertEquals(List.of("virtio_ring"), k.modules().loadOrder(), "modules from the cached Debian package");
    }

    @Test
    void missingKernelFilesAreNamedInTheError() {
        DemoException e = assertThrows(DemoException.class, () -> locator().locate(Path.of("/nonexistent")));
        assertEquals("kernel file not found: /nonexistent (given with --kernel)", e.getMessage());
        env.put("KVMJ_KERNEL", tmp.resolve("gone").toString());
        DemoException e2 = assertThrows(DemoException.class, () -> locator().locate(null));
        assertTrue(e2.getMessage().contains(tmp.resolve("gone").toString()) && e2.getMessage().contains("KVMJ_KERNEL"),
            e2.getMessage());
    }

    @Test
    void incompleteCacheEntriesAreIgnored() throws IOException {
        Path half = Files.createDirectories(cache.resolve("kernels/linux-image-7.0.0-1-amd64_7.0-1"));
        TestKernels.fakeBzImage(half.resolve("vmlinuz"), "7.0.0-1-amd64 #1"); // no kernel.properties
        assertEquals(Optional.of("6.1.0-9-amd64"), locator().locate(null).release());
    }

    @Test
    void cacheRootHonoursXdgCacheHome() {
        assertEquals(Path.of("/x/cache/kvmj"), KvmjCache.defaultRoot(Map.of("XDG_CACHE_HOME", "/x/cache", "HOME", "/h")));
        assertEquals(Path.of("/h/.cache/kvmj"), KvmjCache.defaultRoot(Map.of("HOME", "/h")));
        assertEquals(Path.of("/h/.cache/kvmj"), KvmjCache.defaultRoot(Map.of("XDG_CACHE_HOME", "relative", "HOME", "/h")));
    }

    @Test
    void atomicInstallLeavesNothingBehindWhenPopulatingFails() throws IOException {
        Path target = cache.resolve("busybox/1.0");
        assertThrows(IOException.class, () -> KvmjCache.installAtomically(target, dir -> {
            Files.writeString(dir.resolve("half"), "x");
            throw new IOException("killed");
        }));
        assertTrue(Files.notExists(target));
        try (var s = Files.list(target.getParent())) {
            assertEquals(0, s.count(), "no temp directory left");
        }
        KvmjCache.installAtomically(target, dir -> Files.writeString(dir.resolve("busybox"), "ok"));
        assertEquals("ok", Files.readString(target.resolve("busybox")));
        // a second (concurrent) install of the same entry keeps the first one
        KvmjCache.installAtomically(target, dir -> Files.writeString(dir.resolve("busybox"), "second"));
        assertEquals("ok", Files.readString(target.resolve("busybox")));
        try (var s = Files.list(target.getParent())) {
            assertEquals(1, s.count(), "only the entry, no temp directory");
        }
    }
}

package io.kvmj.core.model;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelTest {

    @Test
    void cacheModeTableMatchesQemuDocumentation() {
        // qemu-options: cache.writeback / cache.direct / cache.no-flush
        assertFlags(CacheMode.WRITEBACK, true, false, false);
        assertFlags(CacheMode.NONE, true, true, false);
        assertFlags(CacheMode.WRITETHROUGH, false, false, false);
        assertFlags(CacheMode.DIRECTSYNC, false, true, false);
        assertFlags(CacheMode.UNSAFE, true, false, true);
    }

    private static void assertFlags(CacheMode m, boolean writeback, boolean direct, boolean noFlush) {
        assertEquals(writeback, m.writeCache(), m + " writeback");
        assertEquals(direct, m.direct(), m + " direct");
        assertEquals(noFlush, m.noFlush(), m + " no-flush");
        assertEquals(m, CacheMode.of(direct, noFlush, writeback), "flags map back onto " + m);
    }

    @Test
    void noFlushAlwaysNamesUnsafe() {
        assertEquals(CacheMode.UNSAFE, CacheMode.of(true, true, false));
        assertEquals(CacheMode.UNSAFE, CacheMode.of(false, true, false));
    }

    @Test
    void ninePGuestSideCommands() {
        NinePShare s = NinePShare.of("hostshare", Path.of("/srv/share"));
        assertEquals("mount -t 9p -o trans=virtio,version=9p2000.L hostshare /mnt/hostshare", s.mountCommand());
        assertEquals("hostshare /mnt/hostshare 9p trans=virtio,version=9p2000.L,nofail 0 0", s.fstabLine());
        assertEquals("mount -t 9p -o trans=virtio,version=9p2000.L,ro hostshare /mnt/hostshare", s.readOnly(true).mountCommand());
        assertEquals("trans=virtio,version=9p2000.L", s.mountOptions());
        assertEquals("trans=virtio,version=9p2000.L,ro", s.readOnly(true).mountOptions());
        assertEquals(SecurityModel.MAPPED_XATTR, s.securityModel());
        assertTrue(s.multidevsRemap());
        assertThrows(InvalidSpecException.class, () -> NinePShare.of("a b", Path.of("/srv")));
    }

    @Test
    void macIsStablePerNameAndIndexWithQemuPrefix() {
        String a = MacAddresses.derive("web1", 0);
        assertEquals(a, MacAddresses.derive("web1", 0));
        assertTrue(a.matches("52:54:00:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}"), a);
        assertNotEquals(a, MacAddresses.derive("web1", 1));
        assertNotEquals(a, MacAddresses.derive("web2", 0));
        assertTrue(MacAddresses.isValid(a));
        assertTrue(!MacAddresses.isValid("01:00:5e:00:00:01"), "multicast refused");
        assertThrows(InvalidSpecException.class, () -> NicSpec.user("n").mac("zz:00:00:00:00:00"));
    }

    @Test
    void toBuilderRoundTripsAndLetsTheLauncherFillInRuntimePaths() {
        GuestSpec user = GuestSpec.builder("demo").cpus(2).memoryMiB(1024)
                .kernel(Path.of("/k"), Path.of("/i"), "console=ttyS0")
                .share(NinePShare.of("host", Path.of("/srv"))).build();
        assertEquals(user, user.toBuilder().build());
        GuestSpec runtime = user.toBuilder().accelerator(Accelerator.TCG).pidfile(Path.of("/run/demo.pid"))
                .qmp(QmpEndpoint.unixClient(Path.of("/run/demo.qmp"))).serial(SerialSpec.file(Path.of("/run/demo.log"))).build();
        assertEquals(Accelerator.AUTO, user.accelerator());
        assertEquals(Accelerator.TCG, runtime.accelerator());
        assertEquals(1, runtime.qmp().size());
        assertEquals(user.shares(), runtime.shares());
        assertThrows(UnsupportedOperationException.class, () -> runtime.disks().add(null));
    }

    @Test
    void recordsValidateEagerly() {
        assertThrows(InvalidSpecException.class, () -> GuestSpec.builder("").build());
        assertThrows(InvalidSpecException.class, () -> CpuModel.named("max,kvm=off"));
        assertThrows(InvalidSpecException.class, () -> UsbHostDevice.byId(0x10000, 1));
        assertThrows(InvalidSpecException.class, () -> new UsbHostDevice(1, 2, 3, 4));
        assertEquals("0000:3a:00.1", PciHostDevice.of("3A:00.1").bdf());
        assertThrows(InvalidSpecException.class, () -> MemoryBackend.ram("m", 64).hugetlb(2048).build());
        assertThrows(InvalidSpecException.class, () -> new VncSpec("0.0.0.0,to=99", 0, null));
        assertThrows(InvalidSpecException.class, () -> new QmpEndpoint(QmpEndpoint.Mode.UNIX_CLIENT, null, null, 0));
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> NinePShare.of("x".repeat(40), Path.of("/")));
        assertEquals("shares[" + "x".repeat(40) + "].mount_tag", e.field());
    }
}

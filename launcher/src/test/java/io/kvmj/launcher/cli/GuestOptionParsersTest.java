package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.BootDevice;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.NetKind;
import io.kvmj.core.model.NicSpec;
import io.kvmj.core.model.NinePShare;
import io.kvmj.core.model.PciHostDevice;
import io.kvmj.core.model.SecurityModel;
import io.kvmj.core.model.UsbHostDevice;
import io.kvmj.core.model.VncSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestOptionParsersTest {
    @TempDir
    Path tmp;

    @Test
    void diskWithCommaInPathAndAllKeys() throws Exception {
        Path img = Files.write(tmp.resolve("a,b.img"), new byte[] {'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 3});
        DiskSpec d = GuestOptionParsers.disk("path=" + tmp + "/a,,b.img,cache=none,aio=native,bus=sata,readonly=on,"
                + "serial=S1", 0);
        assertEquals(img, ((io.kvmj.core.model.DiskSource.File) d.source()).path());
        assertEquals(DiskFormat.QCOW2, d.format(), "qcow2 header detected");
        assertEquals(CacheMode.NONE, d.cache());
        assertEquals(DiskBus.SATA, d.bus());
        assertTrue(d.readOnly());
        assertEquals("S1", d.serial());
        DiskSpec plain = GuestOptionParsers.disk(Files.writeString(tmp.resolve("r.img"), "x").toString(), 1);
        assertEquals(DiskFormat.RAW, plain.format());
        assertEquals("disk1", plain.id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestOptionParsers.disk("path=" + tmp + "/missing.img", 0));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GuestOptionParsers.disk(plain.id() + ",cache=fast", 0));
    }

    @Test
    void shareNetworkGraphicsHostdevBoot() {
        NinePShare s = GuestOptionParsers.share(tmp + ",tag=data,security=passthrough,readonly=on");
        assertEquals("data", s.tag());
        assertEquals(SecurityModel.PASSTHROUGH, s.securityModel());
        assertTrue(s.readOnly());
        assertThrows(IllegalArgumentException.class, () -> GuestOptionParsers.share(tmp.toString()));

        NicSpec n = GuestOptionParsers.network("user,hostfwd=tcp::2222-:22", 0);
        assertEquals(NetKind.USER, n.kind());
        assertEquals(2222, n.forwards().get(0).hostPort());
        assertEquals(22, n.forwards().get(0).guestPort());
        assertEquals(NetKind.BRIDGE, GuestOptionParsers.network("bridge=br0", 1).kind());
        assertEquals("tap7", GuestOptionParsers.network("tap,ifname=tap7", 2).ifname());
        assertNull(GuestOptionParsers.network("none", 3));
        assertThrows(IllegalArgumentException.class, () -> GuestOptionParsers.network("user,hostfwd=2222:22", 0));

        VncSpec v = GuestOptionParsers.graphics("vnc,listen=127.0.0.2,port=5905");
        assertEquals("127.0.0.2", v.host());
        assertEquals(5, v.display());
        assertEquals("127.0.0.1", GuestOptionParsers.graphics("vnc").host());
        assertNull(GuestOptionParsers.graphics("none"));
        assertThrows(IllegalArgumentException.class, () -> GuestOptionParsers.graphics("spice"));

        UsbHostDevice u = (UsbHostDevice) GuestOptionParsers.hostdev("usb:046d:c52b");
        assertEquals(0x046d, u.vendorId());
        assertEquals(0xc52b, u.productId());
        assertEquals("0000:01:00.0", ((PciHostDevice) GuestOptionParsers.hostdev("pci:01:00.0")).bdf());
        assertThrows(IllegalArgumentException.class, () -> GuestOptionParsers.hostdev("usb:xyz"));

        assertArrayEquals(new BootDevice[] {BootDevice.CDROM, BootDevice.DISK}, GuestOptionParsers.boot("cdrom,hd"));
        assertThrows(IllegalArgumentException.class, () -> GuestOptionParsers.boot("floppy"));
    }

    @Test
    void unsafeCacheNeedsDisposableOn() throws Exception {
        Path img = Files.write(tmp.resolve("scratch.img"), new byte[512]);
        DiskSpec d = GuestOptionParsers.disk(img + ",cache=unsafe,disposable=on", 0);
        assertEquals(CacheMode.UNSAFE, d.cache());
        assertTrue(d.disposable());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestOptionParsers.disk(img + ",cache=unsafe", 0));
        assertTrue(e.getMessage().startsWith("--disk: cache=unsafe") && e.getMessage().contains("disposable=on"),
                e.getMessage());
        // and QEMU's argv renders it (the model accepts a disposable unsafe disk)
        String argv = String.join(" ", io.kvmj.core.qemu.QemuCommandLine.renderDefault(
                io.kvmj.core.model.GuestSpec.builder("g").disk(d).build()).argv());
        assertTrue(argv.contains("no-flush"), argv);
    }

    @Test
    void severalHostForwards() {
        NicSpec n = GuestOptionParsers.network("user,hostfwd=tcp::2222-:22,hostfwd=tcp:127.0.0.1:8080-:80", 0);
        assertEquals(2, n.forwards().size());
        assertEquals(2222, n.forwards().get(0).hostPort());
        assertEquals(8080, n.forwards().get(1).hostPort());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestOptionParsers.network("user,hostfwd=tcp::2222-:22,hostfwd=tcp::2222-:23", 0));
        assertTrue(e.getMessage().contains("forwarded twice"), e.getMessage());
    }

    @Test
    void vncTakesAFreePortAndNeedsAPasswordOffLoopback() throws Exception {
        VncSpec first = GuestOptionParsers.graphics("vnc");
        try (java.net.ServerSocket held = new java.net.ServerSocket()) {
            // another guest holds that port: the next guest gets another one
            held.setReuseAddress(true);
            held.bind(new java.net.InetSocketAddress("127.0.0.1", first.port()));
            VncSpec second = GuestOptionParsers.graphics("vnc");
            assertTrue(second.port() != first.port(), "autoport must skip a port in use: " + second);
            assertEquals("127.0.0.1", second.host());
        }
        assertEquals(5907, GuestOptionParsers.graphics("vnc,port=5907").port());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestOptionParsers.graphics("vnc,listen=0.0.0.0,port=5907"));
        assertTrue(e.getMessage().contains("password-file="), e.getMessage());
        Path pw = Files.writeString(tmp.resolve("vnc.pw"), "s3cret");
        VncSpec open = GuestOptionParsers.graphics("vnc,listen=0.0.0.0,port=5907,password-file=" + pw);
        assertEquals(pw, open.passwordFile());
        // list shows the address, read back from the command line as rendered and shell-quoted
        String cmd = io.kvmj.core.qemu.ShellQuote.join(io.kvmj.core.qemu.QemuCommandLine.renderDefault(
                io.kvmj.core.model.GuestSpec.builder("g").vnc(open).build()).argv());
        assertEquals("0.0.0.0:5907", io.kvmj.launcher.GuestInfo.vncOf(cmd).orElseThrow(), cmd);
    }
}

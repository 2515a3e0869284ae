package io.kvmj.launcher.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.CreateOptions;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.QemuImg;
import io.kvmj.launcher.demo.BusyboxLocator;
import io.kvmj.launcher.demo.DemoException;
import io.kvmj.launcher.demo.GuestKernel;
import io.kvmj.launcher.demo.Initramfs;
import io.kvmj.launcher.demo.KernelLocator;
import io.kvmj.launcher.demo.KvmjCache;
import io.kvmj.qmp.QmpClient;
import io.kvmj.qmp.QmpClientOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real Linux guest (TCG): the guest writes A, the host takes an external snapshot, the guest writes B
 * (into the overlay), the host commits the overlay back into the base and grows the disk live; the guest then
 * reads both patterns back and reports the new size from /sys/block/vda/size. The host checks the base image.
 */
class LiveStorageGuestIT {
    private static final String MARK = "KVMJ-STORAGE: ";
    private static final String INIT = """
        #!/bin/sh
        export PATH=/bin:/sbin:/usr/bin:/usr/sbin
        /bin/busybox mkdir -p /proc /sys /dev /tmp
        /bin/busybox --install -s
        mount -t proc proc /proc
        mount -t sysfs sysfs /sys
        mount -t devtmpfs devtmpfs /dev 2>/dev/null || mdev -s
        for m in $(cat /lib/modules/kvmj/order); do insmod /lib/modules/kvmj/$m.ko 2>/dev/null; done
        i=0; while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do usleep 100000; i=$((i+1)); done
        yes AAAA | head -c 65536 > /tmp/a
        yes BBBB | head -c 65536 > /tmp/b
        w() { dd if="$1" of=/dev/vda bs=4096 seek="$2" oflag=direct conv=fsync 2>/dev/null || dd if="$1" of=/dev/vda bs=4096 seek="$2" conv=fsync 2>/dev/null; }
        w /tmp/a 0
        echo "KVMJ-STORAGE: wrote1 size=$(cat /sys/block/vda/size)"
        read x
        w /tmp/b 16
        echo "KVMJ-STORAGE: wrote2"
        read x
        s0=$(cat /sys/block/vda/size); i=0
        while [ "$(cat /sys/block/vda/size)" = "$s0" ] && [ $i -lt 50 ]; do usleep 100000; i=$((i+1)); done
        sync; echo 3 > /proc/sys/vm/drop_caches
        a=$(dd if=/dev/vda bs=4096 count=16 2>/dev/null | sha256sum | cut -d' ' -f1)
        b=$(dd if=/dev/vda bs=4096 skip=16 count=16 2>/dev/null | sha256sum | cut -d' ' -f1)
        wa=$(sha256sum < /tmp/a | cut -d' ' -f1); wb=$(sha256sum < /tmp/b | cut -d' ' -f1)
        ra=bad; [ "$a" = "$wa" ] && ra=ok
        rb=bad; [ "$b" = "$wb" ] && rb=ok
        echo "KVMJ-STORAGE: check a=$ra b=$rb size=$(cat /sys/block/vda/size)"
        poweroff -f
        """;

    @TempDir
    Path dir;

    private static byte[] pattern(String word) {
        byte[] unit = (word + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[65536];
        for (int i = 0; i < out.length; i++) {
            out[i] = unit[i % unit.length];
        }
        return out;
    }

    @Test
    void snapshotCommitAndLiveResizeSeenByTheGuest() throws Exception {
        TestQemu.requireQemu();
        GuestKernel kernel;
        try {
            kernel = KernelLocator.forThisHost().locate(null);
        } catch (DemoException e) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("no guest kernel under CI=true: " + e.getMessage());
            }
            Assumptions.abort("no guest kernel: " + e.getMessage());
            return;
        }
        BusyboxLocator.Busybox busybox = BusyboxLocator.locate(KvmjCache.defaultRoot(System.getenv()));
        Path initrd = dir.resolve("initrd.img");
        Initramfs.write(initrd, busybox.path(), kernel.modules(), INIT);
        QemuImg img = new QemuImg();
        Path base = dir.resolve("base.qcow2");
        img.create(base, CreateOptions.builder(ImageFormat.QCOW2).size(ByteSize.parse("64M")).build());
        Path sock = dir.resolve("qmp.sock");
        List<String> argv = List.of("qemu-system-x86_64", "-nodefaults", "-no-user-config", "-no-reboot",
            "-machine", "pc", "-accel", "tcg", "-cpu", "max", "-smp", "1", "-m", "256M",
            "-display", "none", "-monitor", "none", "-serial", "stdio",
            "-kernel", kernel.kernel().toString(), "-initrd", initrd.toString(),
            "-append", "console=ttyS0 panic=-1 quiet loglevel=3 rdinit=/init",
            "-qmp", "unix:" + sock + ",server=on,wait=off",
            "-blockdev", "driver=file,node-name=file0,filename=" + base,
            "-blockdev", "driver=qcow2,node-name=disk0,file=file0",
            "-device", "virtio-blk-pci,drive=disk0,id=vd0");
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> console = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    synchronized (console) {
                        console.add(l);
                    }
                    int i = l.indexOf(MARK);
                    if (i >= 0) {
                        lines.add(l.substring(i + MARK.length()));
                    }
                }
            } catch (Exception ignored) {
                // process ended
            }
        }, "guest-console");
        reader.setDaemon(true);
        reader.start();
        try (QmpClient qmp = QmpClient.open(sock, QmpClientOptions.defaults());
             OutputStream serial = p.getOutputStream()) {
            LiveStorage live = new LiveStorage(qmp, img);
            String w1 = next(lines, console, p);
            assertTrue(w1.startsWith("wrote1 size=131072"), w1);

            Path overlay = dir.resolve("overlay.qcow2");
            live.externalSnapshot("disk0", overlay, "snap1");
            serial.write("go\n".getBytes(StandardCharsets.US_ASCII));
            serial.flush();
            assertEquals("wrote2", next(lines, console, p));

            live.commit("snap1", "snap1", null, JobProgressListener.NONE);
            live.resize("disk0", ByteSize.parse("128M"));
            serial.write("go\n".getBytes(StandardCharsets.US_ASCII));
            serial.flush();
            assertEquals("check a=ok b=ok size=262144", next(lines, console, p));
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "guest did not power off");
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        // the host sees both patterns in the base (B reached it through the commit) and the new size
        Path head = dir.resolve("head.raw");
        Process dd = new ProcessBuilder("qemu-img", "dd", "-f", "qcow2", "-O", "raw", "bs=65536", "count=2",
            "if=" + base, "of=" + head).redirectErrorStream(true).start();
        assertEquals(0, dd.waitFor());
        byte[] got = Files.readAllBytes(head);
        assertArrayEquals(pattern("AAAA"), java.util.Arrays.copyOfRange(got, 0, 65536));
        assertArrayEquals(pattern("BBBB"), java.util.Arrays.copyOfRange(got, 65536, 131072));
        assertEquals(128L << 20, img.info(base).virtualSize());
    }

    private static String next(BlockingQueue<String> lines, List<String> console, Process p) throws InterruptedException {
        String l = lines.poll(240, TimeUnit.SECONDS);
        if (l == null) {
            synchronized (console) {
                throw new AssertionError("no marker from the guest (alive=" + p.isAlive() + "); console tail:\n"
                    + String.join("\n", console.subList(Math.max(0, console.size() - 30), console.size())));
            }
        }
        return l.strip();
    }
}

package io.kvmj.junit5;

import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.KernelBoot;
import io.kvmj.core.model.MachineType;
import io.kvmj.launcher.demo.BusyboxLocator;
import io.kvmj.launcher.demo.DemoException;
import io.kvmj.launcher.demo.GuestKernel;
import io.kvmj.launcher.demo.Initramfs;
import io.kvmj.launcher.demo.KernelLocator;
import io.kvmj.launcher.demo.KvmjCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link GuestImage#DEMO} guest: the demo kernel ({@link KernelLocator}) with a busybox initramfs whose /init
 * loads the kernel's virtio modules, prints {@value #READY} and runs a root shell on the serial console (a new
 * one whenever it exits). Kernel and initramfs are prepared once per JVM, in a temporary directory deleted at exit;
 * guests only read them.
 */
public final class DemoImage {
    private static final Logger LOG = LoggerFactory.getLogger(DemoImage.class);
    /** The console line /init prints right before the first shell starts. */
    public static final String READY = "KVMJ-GUEST: ready";
    /** Guest memory. */
    public static final int MEMORY_MIB = 256;

    static final String INIT = """
            #!/bin/sh
            # kvmj junit5 demo guest: a root shell on the serial console
            . /lib/kvmj/init-common.sh
            load_modules >/dev/null 2>&1
            hostname kvmj-guest
            export HOME=/root PS1='kvmj# '
            cd /root
            echo "KVMJ-GUEST: ready"
            while :; do setsid cttyhack /bin/sh; done
            """;

    private static volatile DemoImage prepared;

    private final GuestKernel kernel;
    private final Path initrd;

    private DemoImage(GuestKernel kernel, Path initrd) {
        this.kernel = kernel;
        this.initrd = initrd;
    }

    /**
     * The prepared image (kernel located, initramfs written), prepared on first use.
     *
     * @throws DemoException when no guest kernel or busybox can be found
     */
    public static DemoImage get() {
        DemoImage d = prepared;
        if (d == null) {
            synchronized (DemoImage.class) {
                d = prepared;
                if (d == null) {
                    d = prepare();
                    prepared = d;
                }
            }
        }
        return d;
    }

    private static DemoImage prepare() {
        GuestKernel kernel = KernelLocator.forThisHost().locate(null);
        BusyboxLocator.Busybox busybox = BusyboxLocator.locate(KvmjCache.defaultRoot(System.getenv()));
        try {
            Path dir = Files.createTempDirectory("kvmj-junit5-demo-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    KvmjCache.deleteTree(dir);
                } catch (IOException ignored) {
                    // best effort at JVM exit
                }
            }, "kvmj-junit5-demo-cleanup"));
            Path initrd = dir.resolve("initrd.img");
            Initramfs.write(initrd, busybox.path(), kernel.modules(), INIT);
            LOG.info("demo guest: kernel {}, busybox {}, initramfs {}", kernel.describe(), busybox.origin(), initrd);
            return new DemoImage(kernel, initrd);
        } catch (IOException e) {
            throw new DemoException("cannot write the demo guest's initramfs: " + e.getMessage(), e);
        }
    }

    /** The guest kernel. */
    public GuestKernel kernel() {
        return kernel;
    }

    /** The initramfs (shared by all demo guests of this JVM; read-only for them). */
    public Path initrd() {
        return initrd;
    }

    /**
     * The demo guest as a spec: pc machine, 1 vCPU, {@value #MEMORY_MIB} MiB, direct kernel boot, {@code -no-reboot}
     * (a kernel panic ends QEMU), accelerator AUTO (the launcher's host probe picks KVM or TCG).
     */
    public GuestSpec spec(String name) {
        return GuestSpec.builder(name)
                .machine(MachineType.PC)
                .cpus(1)
                .memoryMiB(MEMORY_MIB)
                .noReboot(true)
                .kernel(KernelBoot.of(kernel.kernel(), initrd, "console=ttyS0 panic=-1 quiet loglevel=3 rdinit=/init"))
                .build();
    }
}

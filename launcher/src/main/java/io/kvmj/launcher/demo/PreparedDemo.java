package io.kvmj.launcher.demo;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything needed to boot one demo guest, in a private work directory: kernel, initramfs, a fresh qcow2
 * scratch disk and a 9p share directory holding a random file. {@link #close()} deletes the work directory
 * unless it is kept.
 *
 * @param workDir      private directory holding initrd, disk, share and console.log
 * @param kernel       kernel and modules
 * @param busybox      where the guest's busybox came from
 * @param initrd       gzip cpio initramfs
 * @param disk         qcow2 scratch disk (attach as virtio-blk)
 * @param diskCache    QEMU cache mode to use for the disk and why
 * @param shareDir     host directory to export over virtio-9p
 * @param accelerator  KVM or TCG and why
 * @param expectations random values the guest's markers are checked against
 * @param keepWorkDir  whether {@link #close()} keeps the work directory
 */
public record PreparedDemo(Path workDir, GuestKernel kernel, BusyboxLocator.Busybox busybox, Path initrd, Path disk,
                           DiskCacheMode diskCache, Path shareDir, AcceleratorChoice accelerator,
                           DemoExpectations expectations, boolean keepWorkDir) implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PreparedDemo.class);

    /** Kernel command line: serial console, poweroff on panic, plus the kvmj.* values for /init. */
    public String kernelCmdline() {
        return "console=ttyS0 panic=-1 quiet loglevel=3 rdinit=/init " + expectations.kernelParameters();
    }

    /** The same demo with another accelerator (e.g. force TCG even where KVM works). */
    public PreparedDemo withAccelerator(AcceleratorChoice choice) {
        return new PreparedDemo(workDir, kernel, busybox, initrd, disk, diskCache, shareDir, choice, expectations,
            keepWorkDir);
    }

    /** Where the serial console is logged. */
    public Path consoleLog() {
        return workDir.resolve("console.log");
    }

    @Override
    public void close() {
        if (keepWorkDir) {
            LOG.info("keeping demo work directory {}", workDir);
            return;
        }
        try {
            KvmjCache.deleteTree(workDir);
        } catch (IOException e) {
            LOG.warn("could not delete demo work directory {}: {}", workDir, e.toString());
        }
    }
}

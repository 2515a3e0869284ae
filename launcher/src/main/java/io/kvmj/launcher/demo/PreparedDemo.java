package io.kvmj.launcher.demo;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.CpuModel;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.KernelBoot;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.NinePShare;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything needed to boot one demo guest, in a private work directory: kernel, initramfs, a fresh qcow2
 * scratch disk and a 9p share directory holding a random file; {@link #guestSpec(String)} describes the guest in
 * the typed model. {@link #close()} deletes the work directory unless it is kept.
 *
 * @param workDir      private directory holding initrd, disk, share and console.log
 * @param kernel       kernel and modules
 * @param busybox      where the guest's busybox came from
 * @param initrd       gzip cpio initramfs
 * @param disk         qcow2 scratch disk (attached as virtio-blk)
 * @param diskCache    cache mode for the disk and why
 * @param shareDir     host directory exported over virtio-9p
 * @param accelerator  accelerator asked of the launcher ({@link Accelerator#AUTO}: its host-probe policy decides)
 * @param expectations random values the guest's markers are checked against
 * @param keepWorkDir  whether {@link #close()} keeps the work directory
 */
public record PreparedDemo(Path workDir, GuestKernel kernel, BusyboxLocator.Busybox busybox, Path initrd, Path disk,
                           DiskCacheMode diskCache, Path shareDir, Accelerator accelerator,
                           DemoExpectations expectations, boolean keepWorkDir) implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PreparedDemo.class);
    /** Guest memory. */
    public static final int MEMORY_MIB = 256;
    /** Disk id of the scratch disk (QEMU device id; format node {@code scratch-fmt}). */
    public static final String DISK_ID = "scratch";

    public PreparedDemo {
        Objects.requireNonNull(accelerator, "accelerator");
    }

    /**
     * The demo guest as a {@link GuestSpec}: pc machine, {@code max} CPU, 1 vCPU, 256 MiB, direct kernel boot, the
     * scratch disk, the 9p share, and {@code -no-reboot} so a panic ({@code panic=-1}) ends QEMU as poweroff does.
     * The launcher adds the serial console, QMP and pidfile.
     */
    public GuestSpec guestSpec(String name) {
        return guestSpec(name, false);
    }

    /**
     * Like {@link #guestSpec(String)}, but /init does not power off after its checks: it prints
     * {@code KVMJ-DEMO: waiting for the ACPI power button} and idles until QMP {@code system_powerdown} (busybox acpid
     * in the guest powers off). Lets a caller exercise {@code Guest.shutdown}'s ACPI step on a real guest.
     */
    public GuestSpec guestSpecAwaitingPowerButton(String name) {
        return guestSpec(name, true);
    }

    private GuestSpec guestSpec(String name, boolean awaitPowerButton) {
        return GuestSpec.builder(name)
            .machine(MachineType.PC)
            .accelerator(accelerator)
            .cpu(CpuModel.max())
            .cpus(1)
            .memoryMiB(MEMORY_MIB)
            .noReboot(true)
            .kernel(KernelBoot.of(kernel.kernel(), initrd, kernelCmdline(awaitPowerButton)))
            .disk(scratchDisk())
            .share(share())
            .build();
    }

    /** The qcow2 scratch disk on virtio-blk with the probed cache mode. */
    public DiskSpec scratchDisk() {
        return DiskSpec.file(DISK_ID, disk).format(DiskFormat.QCOW2).bus(DiskBus.VIRTIO_BLK).cache(diskCache.mode())
            .build();
    }

    /** The 9p share (mapped-xattr); its guest mount point and options reach /init on the kernel command line. */
    public NinePShare share() {
        return NinePShare.of(expectations.shareTag(), shareDir);
    }

    /**
     * Kernel command line: serial console, poweroff on panic, plus the kvmj.* values for /init (the share's mount
     * point and options from {@link NinePShare#guestMountPoint()} and {@link NinePShare#mountOptions()}).
     */
    public String kernelCmdline() {
        return kernelCmdline(false);
    }

    private String kernelCmdline(boolean awaitPowerButton) {
        NinePShare s = share();
        return "console=ttyS0 panic=-1 quiet loglevel=3 rdinit=/init " + (awaitPowerButton ? "kvmj.end=acpi " : "")
            + expectations.kernelParameters()
            + " kvmj.mnt=" + s.guestMountPoint() + " kvmj.mntopts=" + s.mountOptions();
    }

    /** The same demo with another accelerator request (e.g. force TCG even where KVM works). */
    public PreparedDemo withAccelerator(Accelerator requested) {
        return new PreparedDemo(workDir, kernel, busybox, initrd, disk, diskCache, shareDir, requested, expectations,
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

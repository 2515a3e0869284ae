package io.kvmj.launcher.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * QEMU argv for a {@link PreparedDemo}: no default devices (the launcher adds the serial console), virtio-blk
 * scratch disk, virtio-9p share, {@code -no-reboot} so the guest's poweroff (or a panic) ends QEMU. Will be replaced by the
 * guest model's renderer ({@code io.kvmj.core.model.GuestSpec}).
 */
public final class DemoQemuArgs {
    /** QEMU binary used by the demo. */
    public static final String QEMU = "qemu-system-x86_64";

    private DemoQemuArgs() {}

    /** The full argv, binary first. */
    public static List<String> argv(PreparedDemo d) {
        List<String> a = new ArrayList<>(List.of(
            QEMU, "-nodefaults", "-no-user-config", "-no-reboot",
            "-machine", "pc", "-accel", d.accelerator().accelerator(), "-cpu", d.accelerator().cpuModel(),
            "-smp", "1", "-m", "256M",
            "-display", "none", "-monitor", "none",
            "-kernel", d.kernel().kernel().toString(),
            "-initrd", d.initrd().toString(),
            "-append", d.kernelCmdline(),
            "-drive", "file=" + escape(d.disk().toString()) + ",if=none,id=scratch,format=qcow2,cache="
                + d.diskCache().mode(),
            "-device", "virtio-blk-pci,drive=scratch",
            "-fsdev", "local,id=share,path=" + escape(d.shareDir().toString()) + ",security_model=mapped-xattr",
            "-device", "virtio-9p-pci,fsdev=share,mount_tag=" + d.expectations().shareTag()));
        return a;
    }

    /** QEMU option values escape ',' by doubling it. */
    static String escape(String v) {
        return v.replace(",", ",,");
    }
}

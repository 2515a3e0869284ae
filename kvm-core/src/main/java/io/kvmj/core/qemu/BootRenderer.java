package io.kvmj.core.qemu;

import io.kvmj.core.model.BootDevice;
import io.kvmj.core.model.Firmware;
import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.KernelBoot;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code -kernel/-initrd/-append} (plain arguments QEMU does not split, so passed verbatim after the NUL/newline
 * check), {@code -boot order=}, and UEFI pflash blockdevs referenced by {@code -machine pflash0/pflash1}.
 */
final class BootRenderer implements ArgRenderer {

    @Override
    public void render(RenderContext ctx) {
        KernelBoot k = ctx.spec.kernel();
        if (k != null) {
            ctx.arg("-kernel", existing("kernel.kernel", k.kernel()).toString());
            if (k.initrd() != null) {
                ctx.arg("-initrd", existing("kernel.initrd", k.initrd()).toString());
            }
            if (k.append() != null) {
                QemuOpts.checkCarriable("kernel.append", k.append());
                ctx.arg("-append", k.append());
            }
        }
        if (!ctx.spec.bootOrder().isEmpty()) {
            StringBuilder order = new StringBuilder();
            for (BootDevice b : ctx.spec.bootOrder()) {
                order.append(b.letter());
            }
            ctx.arg("-boot", QemuOpts.keys("boot").add("order", order.toString()));
        }
        Firmware fw = ctx.spec.firmware();
        if (fw != null) {
            ctx.arg("-blockdev", QemuOpts.keys("blockdev").add("driver", "file").add("node-name", MachineRenderer.FW_CODE)
                    .add("filename", existing("firmware.code", fw.code()).toString()).onOff("read-only", true));
            if (fw.vars() != null) {
                ctx.arg("-blockdev", QemuOpts.keys("blockdev").add("driver", "file").add("node-name", MachineRenderer.FW_VARS)
                        .add("filename", existing("firmware.vars", fw.vars()).toString()));
            }
        }
    }

    private static Path existing(String field, Path p) {
        Path a = RenderContext.abs(field, p);
        if (!Files.isRegularFile(a)) {
            throw new InvalidSpecException(field, a, "file does not exist");
        }
        return a;
    }
}

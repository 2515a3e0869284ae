package io.kvmj.core.qemu;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.CpuModel;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.NetKind;
import io.kvmj.core.model.SmpTopology;

/** {@code -name -uuid -nodefaults -no-user-config -machine -accel -cpu -smp -sandbox -pidfile -S -no-reboot}. */
final class MachineRenderer implements ArgRenderer {
    /** Node names of the firmware pflash blockdevs (rendered by {@link BootRenderer}). */
    static final String FW_CODE = "fw-code";
    static final String FW_VARS = "fw-vars";

    @Override
    public void render(RenderContext ctx) {
        GuestSpec s = ctx.spec;
        name(ctx);
        if (s.uuid() != null) {
            ctx.arg("-uuid", s.uuid().toString());
        }
        if (s.nodefaults()) {
            ctx.flag("-nodefaults");
        }
        if (s.noUserConfig()) {
            ctx.flag("-no-user-config");
        }

        QemuOpts machine = QemuOpts.keys("machine").add("type",
                s.machineVersion() != null ? s.machineVersion() : s.machine().qemuName());
        if (s.memory().backend() != null) {
            machine.add("memory-backend", QemuIds.check("memory.backend.id", s.memory().backend().id()));
        }
        if (s.firmware() != null) {
            if (s.machine() == MachineType.MICROVM) {
                throw new InvalidSpecException("firmware", s.firmware().code(), "microvm boots qboot/kernel directly, no pflash firmware");
            }
            machine.add("pflash0", FW_CODE);
            if (s.firmware().vars() != null) {
                machine.add("pflash1", FW_VARS);
            }
        }
        ctx.arg("-machine", machine);

        switch (s.accelerator()) {
            case KVM -> ctx.arg("-accel", "kvm");
            case TCG -> ctx.arg("-accel", "tcg");
            case AUTO -> {
                ctx.arg("-accel", "kvm");
                ctx.arg("-accel", "tcg");
            }
        }
        if (s.cpu().equals(CpuModel.host()) && s.accelerator() == Accelerator.TCG) {
            // QEMU 7.2: "CPU model 'host' requires KVM or HVF"; say it before starting anything
            throw new InvalidSpecException("cpu", "host", "needs KVM (it passes the host CPU through); under TCG use "
                    + "max, every feature TCG emulates");
        }
        if (s.cpu().equals(CpuModel.host()) && s.accelerator() != Accelerator.KVM) {
            ctx.warn("cpu", "cpu 'host' needs KVM; with TCG (or the AUTO fallback) QEMU refuses it - use 'max'");
        }
        ctx.arg("-cpu", QemuOpts.of("cpu", s.cpu().name()).render());
        SmpTopology t = s.smp();
        ctx.arg("-smp", QemuOpts.keys("smp").add("cpus", t.cpus()).add("sockets", t.sockets()).add("cores", t.cores()).add("threads", t.threads()));

        if (s.sandbox()) {
            boolean spawn = s.nics().stream().anyMatch(n -> n.kind() == NetKind.BRIDGE);
            ctx.arg("-sandbox", QemuOpts.of("sandbox", "on").add("obsolete", "deny").add("elevateprivileges", "deny")
                    .add("spawn", spawn ? "allow" : "deny").add("resourcecontrol", "deny"));
        }
        pidfile(ctx);
        if (s.startPaused()) {
            ctx.flag("-S");
        }
        if (s.noReboot()) {
            ctx.flag("-no-reboot");
        }
    }

    /** {@code -name guest=NAME}. */
    static void name(RenderContext ctx) { ctx.arg("-name", QemuOpts.keys("name").add("guest", ctx.spec.name())); }

    /** {@code -pidfile PATH} when the spec has one. */
    static void pidfile(RenderContext ctx) {
        if (ctx.spec.pidfile() != null) {
            ctx.arg("-pidfile", RenderContext.absString("pidfile", ctx.spec.pidfile()));
        }
    }
}

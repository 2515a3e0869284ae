package io.kvmj.core.kvm;

import io.kvmj.core.ffi.NativeMemory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Proves that {@code /dev/kvm} really executes guest code: creates a VM with one page of guest RAM, loads a few
 * real-mode instructions that write {@code "KVMJ"} and the sum of two registers set from Java ({@code 2+3}) to
 * port 0x3f8, then {@code hlt}. Passes when the bytes {@code "KVMJ5"} arrive through {@code KVM_EXIT_IO} and the
 * vCPU stops with {@code KVM_EXIT_HLT}. Takes a few milliseconds.
 */
public final class KvmRunSmokeTest {
    /** Guest physical address of the code page. */
    public static final long GUEST_ADDR = 0x1000;
    /** The I/O port the guest writes to. */
    public static final int PORT = 0x3f8;
    /** What the guest must write. */
    public static final String EXPECTED = "KVMJ5";

    private static final int MAX_EXITS = 64;

    // mov dx,0x3f8; mov al,'K'; out dx,al; ... 'V' 'M' 'J'; mov al,cl; add al,bl; add al,'0'; out dx,al; hlt
    private static final byte[] CODE = {
        (byte) 0xba, (byte) 0xf8, 0x03,
        (byte) 0xb0, 'K', (byte) 0xee,
        (byte) 0xb0, 'V', (byte) 0xee,
        (byte) 0xb0, 'M', (byte) 0xee,
        (byte) 0xb0, 'J', (byte) 0xee,
        (byte) 0x88, (byte) 0xc8,
        0x00, (byte) 0xd8,
        0x04, '0',
        (byte) 0xee,
        (byte) 0xf4,
    };

    /** The outcome: passed, the bytes seen on the port, the last exit, the number of I/O exits and a message. */
    public record Result(boolean passed, String output, String lastExit, int ioExits, String detail) {}

    private KvmRunSmokeTest() {}

    /**
     * Runs the guest on an open {@link Kvm}. Never throws for a guest that misbehaves (wrong bytes, shutdown,
     * entry failure): that is a failed {@link Result}. Native failures (e.g. {@code KVM_CREATE_VM}) propagate as
     * {@link io.kvmj.core.ffi.NativeException}.
     */
    public static Result run(Kvm kvm) {
        try (VmFd vm = kvm.createVm()) {
            return run(vm);
        }
    }

    /** Runs the guest in an existing, empty VM (memory slot 0 and vCPU 0 are used); the VM stays open. */
    public static Result run(VmFd vm) {
        try (NativeMemory ram = NativeMemory.mapAnonymous(vm.access(), 0x1000)) {
            ram.putBytes(0, CODE);
            vm.setUserMemoryRegion(0, 0, GUEST_ADDR, ram.size(), ram.address());
            try (VcpuFd vcpu = vm.createVcpu(0)) {
                KvmSregs sregs = vcpu.getSregs();
                sregs.segment(KvmSregs.Seg.CS, sregs.segment(KvmSregs.Seg.CS).withBaseSelector(0, 0));
                vcpu.setSregs(sregs);
                KvmRegs regs = new KvmRegs().rip(GUEST_ADDR).rflags(0x2)
                        .set(KvmRegs.Reg.RCX, 2).set(KvmRegs.Reg.RBX, 3);
                vcpu.setRegs(regs);
                return loop(vcpu);
            }
        }
    }

    private static Result loop(VcpuFd vcpu) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int ioExits = 0;
        for (int i = 0; i < MAX_EXITS; i++) {
            int reason = vcpu.run();
            KvmRun run = vcpu.kvmRun();
            switch (reason) {
                case KvmExit.IO:
                    ioExits++;
                    if (run.ioDirection() != KvmExit.IO_OUT || run.ioPort() != PORT) {
                        return fail(out, reason, ioExits, String.format("unexpected I/O %s port 0x%x",
                                run.ioDirection() == KvmExit.IO_OUT ? "out" : "in", run.ioPort()));
                    }
                    out.writeBytes(run.ioData());
                    break;
                case KvmExit.HLT: {
                    String got = out.toString(StandardCharsets.ISO_8859_1);
                    boolean ok = EXPECTED.equals(got);
                    return new Result(ok, got, KvmExit.name(reason), ioExits, ok
                            ? "guest wrote \"" + got + "\" to port 0x3f8 and halted (KVM_EXIT_HLT)"
                            : "guest halted but wrote \"" + got + "\" instead of \"" + EXPECTED + "\"");
                }
                case KvmExit.FAIL_ENTRY:
                    return fail(out, reason, ioExits, "VM entry failed, hardware reason 0x"
                            + Long.toHexString(run.failEntryReason()));
                case KvmExit.INTERNAL_ERROR:
                    return fail(out, reason, ioExits, "KVM internal error, suberror " + run.internalSuberror());
                case KvmExit.INTR:
                    break;
                default:
                    return fail(out, reason, ioExits, "unexpected exit " + KvmExit.name(reason));
            }
        }
        return fail(out, -1, ioExits, "no KVM_EXIT_HLT after " + MAX_EXITS + " exits");
    }

    private static Result fail(ByteArrayOutputStream out, int reason, int ioExits, String detail) {
        return new Result(false, out.toString(StandardCharsets.ISO_8859_1),
                reason < 0 ? "none" : KvmExit.name(reason), ioExits, detail);
    }
}

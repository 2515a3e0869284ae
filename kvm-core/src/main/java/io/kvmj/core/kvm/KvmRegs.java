package io.kvmj.core.kvm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** {@code struct kvm_regs} (x86-64, 144 bytes): general registers, rip and rflags, as a mutable value. */
public final class KvmRegs {
    private final byte[] raw = new byte[io.kvmj.core.ffi.Ioctls.SIZEOF_KVM_REGS];
    private final ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);

    /** Register slots in {@code struct kvm_regs} order. */
    public enum Reg { RAX, RBX, RCX, RDX, RSI, RDI, RSP, RBP, R8, R9, R10, R11, R12, R13, R14, R15, RIP, RFLAGS }

    byte[] raw() {
        return raw;
    }

    public long get(Reg r) {
        return buf.getLong(r.ordinal() * 8);
    }

    public KvmRegs set(Reg r, long value) {
        buf.putLong(r.ordinal() * 8, value);
        return this;
    }

    public long rip() {
        return get(Reg.RIP);
    }

    public KvmRegs rip(long v) {
        return set(Reg.RIP, v);
    }

    public long rflags() {
        return get(Reg.RFLAGS);
    }

    public KvmRegs rflags(long v) {
        return set(Reg.RFLAGS, v);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("KvmRegs[");
        for (Reg r : Reg.values()) {
            sb.append(r.name().toLowerCase(java.util.Locale.ROOT)).append("=0x")
                    .append(Long.toHexString(get(r))).append(r == Reg.RFLAGS ? "]" : ", ");
        }
        return sb.toString();
    }
}

package io.kvmj.core.kvm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** {@code struct kvm_sregs} (x86-64, 312 bytes): segments, descriptor tables, control registers. */
public final class KvmSregs {
    private static final int SEG_SIZE = 24;
    private static final int CR_BASE = 0xe0;

    private final byte[] raw = new byte[io.kvmj.core.ffi.Ioctls.SIZEOF_KVM_SREGS];
    private final ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);

    /** Segment registers in {@code struct kvm_sregs} order. */
    public enum Seg { CS, DS, ES, FS, GS, SS, TR, LDT }

    /** Control registers and MSRs after the descriptor tables, in struct order. */
    public enum Ctl { CR0, CR2, CR3, CR4, CR8, EFER, APIC_BASE }

    byte[] raw() {
        return raw;
    }

    public KvmSegment segment(Seg seg) {
        int o = seg.ordinal() * SEG_SIZE;
        return new KvmSegment(buf.getLong(o), buf.getInt(o + 8), buf.getShort(o + 12) & 0xffff,
                raw[o + 14] & 0xff, raw[o + 15] != 0, raw[o + 16] & 0xff, raw[o + 17] != 0, raw[o + 18] != 0,
                raw[o + 19] != 0, raw[o + 20] != 0, raw[o + 21] != 0, raw[o + 22] != 0);
    }

    public KvmSregs segment(Seg seg, KvmSegment s) {
        int o = seg.ordinal() * SEG_SIZE;
        buf.putLong(o, s.base());
        buf.putInt(o + 8, s.limit());
        buf.putShort(o + 12, (short) s.selector());
        raw[o + 14] = (byte) s.type();
        raw[o + 15] = (byte) (s.present() ? 1 : 0);
        raw[o + 16] = (byte) s.dpl();
        raw[o + 17] = (byte) (s.db() ? 1 : 0);
        raw[o + 18] = (byte) (s.s() ? 1 : 0);
        raw[o + 19] = (byte) (s.l() ? 1 : 0);
        raw[o + 20] = (byte) (s.g() ? 1 : 0);
        raw[o + 21] = (byte) (s.avl() ? 1 : 0);
        raw[o + 22] = (byte) (s.unusable() ? 1 : 0);
        return this;
    }

    public long get(Ctl c) {
        return buf.getLong(CR_BASE + c.ordinal() * 8);
    }

    public KvmSregs set(Ctl c, long v) {
        buf.putLong(CR_BASE + c.ordinal() * 8, v);
        return this;
    }
}

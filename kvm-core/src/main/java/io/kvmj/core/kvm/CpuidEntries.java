package io.kvmj.core.kvm;

import io.kvmj.core.ffi.Ioctls;
import io.kvmj.core.ffi.NativeMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The CPUID leaves KVM can expose to guests ({@code KVM_GET_SUPPORTED_CPUID}), with a decoder for the guest
 * features that matter for a VM host: vendor, hardware virtualisation (vmx/svm) for nested guests, x2apic,
 * AVX family, hypervisor bit, KVM paravirtual signature.
 */
public final class CpuidEntries {

    /** Named feature bits: leaf, sub-leaf, register (0=eax..3=edx), bit. */
    private enum Feature {
        FPU(1, 0, 3, 0), TSC(1, 0, 3, 4), MSR(1, 0, 3, 5), PAE(1, 0, 3, 6), APIC(1, 0, 3, 9), SSE(1, 0, 3, 25),
        SSE2(1, 0, 3, 26), SSE3(1, 0, 2, 0), VMX(1, 0, 2, 5), SSSE3(1, 0, 2, 9), FMA(1, 0, 2, 12),
        CX16(1, 0, 2, 13), SSE4_1(1, 0, 2, 19), SSE4_2(1, 0, 2, 20), X2APIC(1, 0, 2, 21), MOVBE(1, 0, 2, 22),
        POPCNT(1, 0, 2, 23), TSC_DEADLINE(1, 0, 2, 24), AES(1, 0, 2, 25), XSAVE(1, 0, 2, 26), AVX(1, 0, 2, 28),
        F16C(1, 0, 2, 29), RDRAND(1, 0, 2, 30), HYPERVISOR(1, 0, 2, 31),
        FSGSBASE(7, 0, 1, 0), BMI1(7, 0, 1, 3), AVX2(7, 0, 1, 5), SMEP(7, 0, 1, 7), BMI2(7, 0, 1, 8),
        ERMS(7, 0, 1, 9), INVPCID(7, 0, 1, 10), AVX512F(7, 0, 1, 16), AVX512DQ(7, 0, 1, 17), RDSEED(7, 0, 1, 18),
        ADX(7, 0, 1, 19), SMAP(7, 0, 1, 20), SHA(7, 0, 1, 29), AVX512BW(7, 0, 1, 30), AVX512VL(7, 0, 1, 31),
        UMIP(7, 0, 2, 2), PKU(7, 0, 2, 3), LA57(7, 0, 2, 16), RDPID(7, 0, 2, 22),
        LAHF_LM(0x80000001, 0, 2, 0), SVM(0x80000001, 0, 2, 2), ABM(0x80000001, 0, 2, 5),
        SSE4A(0x80000001, 0, 2, 6), NX(0x80000001, 0, 3, 20), PDPE1GB(0x80000001, 0, 3, 26),
        RDTSCP(0x80000001, 0, 3, 27), LM(0x80000001, 0, 3, 29);

        final int leaf;
        final int sub;
        final int reg;
        final int bit;

        Feature(int leaf, int sub, int reg, int bit) {
            this.leaf = leaf;
            this.sub = sub;
            this.reg = reg;
            this.bit = bit;
        }
    }

    private final List<CpuidEntry> entries;

    /** Wraps decoded entries. */
    public CpuidEntries(List<CpuidEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Decodes {@code nent} entries of a {@code struct kvm_cpuid2} buffer. */
    static CpuidEntries decode(NativeMemory buf, int nent) {
        List<CpuidEntry> list = new ArrayList<>(nent);
        byte[] raw = buf.getBytes(Ioctls.SIZEOF_KVM_CPUID2, nent * Ioctls.SIZEOF_KVM_CPUID_ENTRY2);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < nent; i++) {
            int o = i * Ioctls.SIZEOF_KVM_CPUID_ENTRY2;
            list.add(new CpuidEntry(b.getInt(o), b.getInt(o + 4), b.getInt(o + 8), b.getInt(o + 12),
                    b.getInt(o + 16), b.getInt(o + 20), b.getInt(o + 24)));
        }
        return new CpuidEntries(list);
    }

    /** All entries in kernel order. */
    public List<CpuidEntry> entries() {
        return entries;
    }

    /** The number of entries. */
    public int size() {
        return entries.size();
    }

    /** The entry for a leaf and sub-leaf (sub-leaf ignored for leaves the kernel reports once). */
    public Optional<CpuidEntry> find(int function, int index) {
        CpuidEntry fallback = null;
        for (CpuidEntry e : entries) {
            if (e.function() == function) {
                if (e.index() == index) {
                    return Optional.of(e);
                }
                if (fallback == null) {
                    fallback = e;
                }
            }
        }
        return Optional.ofNullable(index == 0 ? fallback : null);
    }

    /** The 12-character vendor string of leaf 0 as KVM would report it (e.g. {@code AuthenticAMD}), or "". */
    public String vendor() {
        return find(0, 0).map(e -> ascii(e.ebx(), e.edx(), e.ecx())).orElse("");
    }

    /** The hypervisor signature of leaf 0x40000000 (e.g. {@code KVMKVMKVM}), or "". */
    public String hypervisorSignature() {
        return find(0x40000000, 0).map(e -> ascii(e.ebx(), e.ecx(), e.edx()).replace("\0", "")).orElse("");
    }

    private static String ascii(int a, int b, int c) {
        ByteBuffer bb = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(a).putInt(b).putInt(c);
        return new String(bb.array(), StandardCharsets.US_ASCII);
    }

    /** Whether a named feature (lower-case, e.g. {@code "avx2"}, {@code "vmx"}) is exposable to guests. */
    public boolean has(String feature) {
        Boolean v = features().get(feature);
        return v != null && v;
    }

    /** Every decoded feature name (lower-case, as in /proc/cpuinfo where one exists) mapped to presence. */
    public Map<String, Boolean> features() {
        Map<String, Boolean> m = new TreeMap<>();
        for (Feature f : Feature.values()) {
            boolean on = find(f.leaf, f.sub).map(e -> {
                int r = f.reg == 0 ? e.eax() : f.reg == 1 ? e.ebx() : f.reg == 2 ? e.ecx() : e.edx();
                return (r >>> f.bit & 1) == 1;
            }).orElse(false);
            m.put(f.name().toLowerCase(java.util.Locale.ROOT), on);
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return "CpuidEntries[" + entries.size() + " entries, vendor=" + vendor() + "]";
    }
}

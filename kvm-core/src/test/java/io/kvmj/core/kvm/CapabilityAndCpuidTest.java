package io.kvmj.core.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapabilityAndCpuidTest {

    @Test
    void capabilityNumbersAreUniqueAndMatchLinuxHeader() {
        Set<Integer> seen = new HashSet<>();
        for (Capability c : Capability.values()) {
            assertTrue(seen.add(c.number()), "duplicate number " + c.number() + " for " + c);
            assertFalse(c.description().isBlank());
        }
        assertTrue(Capability.values().length >= 40);
        // spot checks against linux/kvm.h
        assertEquals(0, Capability.IRQCHIP.number());
        assertEquals(9, Capability.NR_VCPUS.number());
        assertEquals(10, Capability.NR_MEMSLOTS.number());
        assertEquals(66, Capability.MAX_VCPUS.number());
        assertEquals(128, Capability.MAX_VCPU_ID.number());
        assertEquals(157, Capability.NESTED_STATE.number());
        assertEquals(234, Capability.GUEST_MEMFD.number());
        assertEquals("KVM_CAP_MAX_VCPUS", Capability.MAX_VCPUS.cName());
        for (Capability c : List.of(Capability.NR_VCPUS, Capability.MAX_VCPUS, Capability.MAX_VCPU_ID,
                Capability.NR_MEMSLOTS)) {
            assertTrue(c.numeric(), c + " is numeric");
        }
        assertFalse(Capability.USER_MEMORY.numeric());
    }

    @Test
    void cpuidDecodesVendorFeaturesAndHypervisorSignature() {
        int ebxGenu = 0x756e6547; // "Genu"
        int edxInei = 0x49656e69; // "ineI"
        int ecxNtel = 0x6c65746e; // "ntel"
        int leaf1Ecx = (1 << 5) | (1 << 21) | (1 << 28) | (1 << 31); // vmx x2apic avx hypervisor
        int leaf7Ebx = (1 << 5) | (1 << 16); // avx2 avx512f
        int ext1Edx = (1 << 29) | (1 << 20); // lm nx
        CpuidEntries e = new CpuidEntries(List.of(
                new CpuidEntry(0, 0, 0, 0xd, ebxGenu, ecxNtel, edxInei),
                new CpuidEntry(1, 0, 0, 0, 0, leaf1Ecx, 1 << 26),
                new CpuidEntry(7, 0, 1, 0, leaf7Ebx, 0, 0),
                new CpuidEntry(7, 1, 1, 0, 0xffffffff, 0, 0),
                new CpuidEntry(0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d),
                new CpuidEntry(0x80000001, 0, 0, 0, 0, 0, ext1Edx)));
        assertEquals("GenuineIntel", e.vendor());
        assertEquals("KVMKVMKVM", e.hypervisorSignature());
        for (String f : List.of("vmx", "x2apic", "avx", "hypervisor", "avx2", "avx512f", "lm", "nx", "sse2")) {
            assertTrue(e.has(f), f);
        }
        for (String f : List.of("svm", "aes", "avx512bw", "la57", "nosuch")) {
            assertFalse(e.has(f), f);
        }
        assertEquals(1, e.find(7, 1).orElseThrow().index(), "sub-leaf lookup");
        assertTrue(e.find(0x80000008, 0).isEmpty());
    }
}

package io.kvmj.core.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmj.core.ffi.Errno;
import io.kvmj.core.ffi.NativeAccess;
import io.kvmj.core.ffi.NativeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Against the real /dev/kvm with both FFI backends (fast: no QEMU). */
class KvmTest {

    static Stream<NativeAccess> backends() {
        return Stream.of(NativeAccess.jna(), NativeAccess.jnr());
    }

    @BeforeAll
    static void needDevKvm() {
        Path dev = Path.of(Kvm.DEFAULT_PATH);
        // A host without the device at all (no KVM module bound, e.g. kvm_pvm refusing a host with PTI on) cannot
        // run these tests anywhere: that is a fact of the host, reported as a skip. A device that exists but cannot
        // be opened is a setup error, and fails under CI.
        assumeTrue(Files.exists(dev), "this host has no " + dev + " (no KVM module bound; see kvmj check)");
        boolean usable = Files.isReadable(dev) && Files.isWritable(dev);
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(usable, "CI=true but " + dev + " is not read/writable for this user");
        }
        assumeTrue(usable, dev + " not usable here");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void apiVersionAndCapabilities(NativeAccess a) {
        try (Kvm kvm = Kvm.open(a)) {
            assertEquals(Kvm.API_VERSION, kvm.apiVersion());
            assertEquals(1, kvm.checkExtension(Capability.USER_MEMORY));
            assertEquals(1, kvm.checkExtension(Capability.EXT_CPUID));
            int nrVcpus = kvm.checkExtension(Capability.NR_VCPUS);
            int maxVcpus = kvm.checkExtension(Capability.MAX_VCPUS);
            assertTrue(nrVcpus >= 1, "NR_VCPUS " + nrVcpus);
            assertTrue(maxVcpus >= nrVcpus, "MAX_VCPUS " + maxVcpus + " >= NR_VCPUS " + nrVcpus);
            assertTrue(kvm.checkExtension(Capability.NR_MEMSLOTS) >= 32);
            assertEquals(kvm.checkExtension(Capability.MAX_VCPUS), kvm.checkExtension(66), "raw number agrees");
            assertEquals(0, kvm.checkExtension(100_000), "unknown capability is 0, not an error");
            assertTrue(kvm.vcpuMmapSize() >= 4096);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void createVmAndCpuidAndMsrs(NativeAccess a) {
        try (Kvm kvm = Kvm.open(a)) {
            try (VmFd vm = kvm.createVm()) {
                assertTrue(vm.fd() > kvm.fd());
            }
            CpuidEntries cpuid = kvm.supportedCpuid();
            assertTrue(cpuid.size() > 5, cpuid.toString());
            assertTrue(cpuid.find(0, 0).isPresent());
            assertTrue(cpuid.vendor().equals("AuthenticAMD") || cpuid.vendor().equals("GenuineIntel")
                    || cpuid.vendor().length() == 12, cpuid.vendor());
            assertTrue(cpuid.has("lm"), "long mode exposable to guests");
            assertTrue(cpuid.has("sse2"));
            assertTrue(kvm.msrIndexListCount() > 0);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void kvmRunSmokeTestExecutesGuestCode(NativeAccess a) {
        try (Kvm kvm = Kvm.open(a)) {
            KvmRunSmokeTest.Result r = KvmRunSmokeTest.run(kvm);
            assertTrue(r.passed(), r.toString());
            assertEquals("KVMJ5", r.output());
            assertEquals("KVM_EXIT_HLT", r.lastExit());
            assertEquals(5, r.ioExits());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void registersRoundTrip(NativeAccess a) {
        try (Kvm kvm = Kvm.open(a); VmFd vm = kvm.createVm(); VcpuFd vcpu = vm.createVcpu(0)) {
            KvmRegs regs = vcpu.getRegs();
            regs.rip(0x1234).rflags(0x202).set(KvmRegs.Reg.R15, 0x0f0f_0f0f_0f0fL);
            vcpu.setRegs(regs);
            KvmRegs back = vcpu.getRegs();
            assertEquals(0x1234, back.rip());
            assertEquals(0x202, back.rflags());
            assertEquals(0x0f0f_0f0f_0f0fL, back.get(KvmRegs.Reg.R15));
            KvmSregs sregs = vcpu.getSregs();
            KvmSegment cs = sregs.segment(KvmSregs.Seg.CS);
            assertTrue(cs.present(), cs.toString());
            assertEquals(0xffff, cs.limit(), "reset CS limit");
            sregs.segment(KvmSregs.Seg.CS, cs.withBaseSelector(0x10000, 0x1000));
            vcpu.setSregs(sregs);
            KvmSegment csBack = vcpu.getSregs().segment(KvmSregs.Seg.CS);
            assertEquals(0x10000, csBack.base());
            assertEquals(0x1000, csBack.selector());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void closedKvmRejectsCallsAndBadIoctlIsTyped(NativeAccess a) {
        Kvm kvm = Kvm.open(a);
        kvm.close();
        kvm.close();
        assertThrows(IllegalStateException.class, kvm::apiVersion);
        try (Kvm k2 = Kvm.open(a); VmFd vm = k2.createVm()) {
            // a second vCPU with the same id is rejected by the kernel with EEXIST
            try (VcpuFd v0 = vm.createVcpu(0)) {
                NativeException e = assertThrows(NativeException.class, () -> vm.createVcpu(0));
                assertEquals(Errno.EEXIST, e.errno());
                assertTrue(e.call().contains("KVM_CREATE_VCPU"), e.call());
                assertFalse(e.strerror().isEmpty());
            }
        }
    }
}

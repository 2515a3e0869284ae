package io.kvmj.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmj.core.ffi.NativeAccess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verdict logic on fake /proc, /sys, /dev and /etc trees. */
class HostProbeFakeTreeTest {
    static final String INTEL_FLAGS = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 "
            + "clflush mmx fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc vmx smx est "
            + "tm2 ssse3 fma cx16 x2apic aes avx avx2 avx512f tsc_deadline_timer ept vpid flexpriority";
    static final String AMD_FLAGS = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 "
            + "clflush mmx fxsr sse sse2 ht syscall nx mmxext pdpe1gb rdtscp lm constant_tsc svm npt x2apic avx avx2";
    static final String EPYC_NO_SVM = "fpu vme de pse tsc msr pae cx8 apic sep pge cmov pat clflush mmx fxsr sse "
            + "sse2 ht syscall nx pdpe1gb rdtscp lm constant_tsc x2apic avx avx2 hypervisor avx512f";

    private static HostReport probe(FakeHost h, KvmDeviceProbe p) {
        return new HostProbe(h.hostRoot(), p).run();
    }

    private static FakeHost intelWithEpt(Path dir) {
        return new FakeHost(dir)
                .cpu("GenuineIntel", "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", 4, INTEL_FLAGS,
                        "vnmi preemption_timer invvpid ept_x_only ept_ad ept_1gb tsc_offset vtpr ept vpid"
                                + " unrestricted_guest")
                .module("kvm", "halt_poll_ns", "200000")
                .module("kvm_intel", "ept", "Y", "nested", "N", "unrestricted_guest", "Y")
                .device("/dev/kvm", "rw-rw----").device("/dev/net/tun", "rw-rw-rw-")
                .device("/dev/vhost-net", "rw-------").device("/dev/vhost-vsock", "rw-------")
                .iommuGroups(3).acpiTable("DMAR")
                .hugepages(2048, 0, 0, 0, 0).hugepages(1048576, 0, 0, 0, 0)
                .thp("always [madvise] never", "always defer defer+madvise [madvise] never").ksm(0, 0);
    }

    @Test
    void intelWithEptRecommendsKvm(@TempDir Path dir) {
        HostReport r = probe(intelWithEpt(dir), FakeHost.workingKvm("GenuineIntel", true));
        assertTrue(r.recommendation().kvmUsable(), r.recommendation().toString());
        assertEquals("kvm", r.recommendation().accelerator());
        assertTrue(r.recommendation().reason().contains("vmx"), r.recommendation().reason());
        assertTrue(r.recommendation().reason().contains("kvm_intel"), r.recommendation().reason());
        assertEquals(Verdict.PASS, r.check("cpu.hwvirt").verdict());
        assertTrue(r.check("cpu.hwvirt").detail().contains("VT-x"));
        assertEquals(Verdict.PASS, r.check("kvm.module").verdict());
        assertEquals(Verdict.PASS, r.check("kvm.mmu").verdict());
        assertEquals("kvm_intel ept=Y", r.check("kvm.mmu").detail());
        assertEquals(Verdict.INFO, r.check("kvm.nested").verdict());
        assertTrue(r.check("kvm.nested").detail().startsWith("kvm_intel nested=N"));
        assertEquals(Verdict.PASS, r.check("kvm.access").verdict());
        assertEquals(Verdict.PASS, r.check("kvm.api").verdict());
        assertEquals(Verdict.PASS, r.check("kvm.run").verdict());
        assertEquals(Verdict.PASS, r.check("iommu").verdict());
        assertEquals("3 IOMMU groups", r.check("iommu").detail());
        assertEquals(Verdict.PASS, r.check("net.tun").verdict());
        assertEquals(Verdict.PASS, r.check("net.vhost-net").verdict());
        assertEquals(Verdict.PASS, r.check("vsock.vhost-vsock").verdict());
        assertEquals(Verdict.PASS, r.check("mem.thp").verdict());
        assertEquals(Verdict.INFO, r.check("mem.ksm").verdict());
        assertEquals("stopped", r.check("mem.ksm").detail());
        CpuFacts cpu = r.facts().cpu();
        assertEquals(4, cpu.logicalCpus());
        assertTrue(cpu.vmxFlags().contains("unrestricted_guest"));
        assertEquals("madvise", r.facts().memory().thpEnabled());
        assertEquals(0, r.count(Verdict.FAIL), r.checks().toString());
    }

    @Test
    void intelWithEptDisabledWarnsAboutShadowPaging(@TempDir Path dir) {
        FakeHost h = intelWithEpt(dir).module("kvm_intel", "ept", "N");
        HostReport r = probe(h, FakeHost.workingKvm("GenuineIntel", true));
        Check mmu = r.check("kvm.mmu");
        assertEquals(Verdict.WARN, mmu.verdict());
        assertTrue(mmu.detail().contains("shadow paging"), mmu.detail());
        assertEquals("modprobe -r kvm_intel && modprobe kvm_intel ept=1", mmu.fix());
        assertTrue(r.recommendation().kvmUsable(), "EPT off is slow, not unusable");
    }

    @Test
    void amdWithNptAndIommuDisabledInKernel(@TempDir Path dir) {
        FakeHost h = new FakeHost(dir).cpu("AuthenticAMD", "AMD EPYC 7763 64-Core Processor", 2, AMD_FLAGS, null)
                .module("kvm").module("kvm_amd", "npt", "1", "nested", "1", "avic", "0")
                .device("/dev/kvm", "rw-rw----").device("/dev/net/tun", "rw-rw-rw-").acpiTable("IVRS");
        HostReport r = probe(h, FakeHost.workingKvm("AuthenticAMD", true));
        assertTrue(r.recommendation().kvmUsable());
        assertTrue(r.recommendation().reason().contains("svm"));
        assertEquals(Verdict.PASS, r.check("cpu.hwvirt").verdict());
        assertTrue(r.check("cpu.hwvirt").detail().contains("AMD-V"));
        assertEquals("kvm_amd npt=1", r.check("kvm.mmu").detail());
        assertEquals(Verdict.PASS, r.check("kvm.mmu").verdict());
        assertTrue(r.check("kvm.nested").detail().contains("guests may run their own KVM"));
        Check iommu = r.check("iommu");
        assertEquals(Verdict.WARN, iommu.verdict());
        assertEquals("add amd_iommu=on to the kernel command line", iommu.fix());
        assertEquals(Verdict.WARN, r.check("net.vhost-net").verdict());
        assertEquals("modprobe vhost_net", r.check("net.vhost-net").fix());
        assertEquals(Verdict.INFO, r.check("mem.hugepages").verdict());
        assertEquals("no hugetlb support in this kernel", r.check("mem.hugepages").detail());
        assertEquals(Verdict.INFO, r.check("mem.thp").verdict());
        assertEquals(Verdict.INFO, r.check("mem.ksm").verdict());
        assertEquals("not available", r.check("mem.ksm").detail());
    }

    @Test
    void noKvmModuleAndNoDevKvm(@TempDir Path dir) {
        FakeHost h = new FakeHost(dir).cpu("GenuineIntel", "Intel(R) Core(TM) i7", 2, INTEL_FLAGS, null);
        HostReport r = probe(h, FakeHost.neverCalled());
        assertFalse(r.recommendation().kvmUsable());
        assertEquals("tcg", r.recommendation().accelerator());
        assertTrue(r.recommendation().reason().contains("/dev/kvm does not exist"), r.recommendation().reason());
        assertTrue(r.recommendation().reason().contains("modprobe kvm_intel"), r.recommendation().reason());
        assertEquals(Verdict.FAIL, r.check("kvm.module").verdict());
        assertEquals("modprobe kvm_intel", r.check("kvm.module").fix());
        assertEquals(Verdict.FAIL, r.check("kvm.device").verdict());
        assertEquals(Verdict.INFO, r.check("kvm.api").verdict());
        assertEquals(Verdict.FAIL, r.check("net.tun").verdict());
        assertEquals("modprobe tun", r.check("net.tun").fix());
        assertEquals(Verdict.WARN, r.check("iommu").verdict());
        assertEquals("enable VT-d in the firmware settings", r.check("iommu").fix());
        assertNull(r.facts().kvm());
        assertTrue(r.facts().kvmModules().isEmpty());
    }

    @Test
    void devKvmNotWritableForUserGivesGroupFix(@TempDir Path dir) {
        FakeHost h = intelWithEpt(dir);
        int[] owner = h.owner("/dev/kvm");
        h.write("/etc/passwd", "root:x:0:0::/root:/bin/sh\nalice:x:54321:54321::/home/alice:/bin/sh\n");
        h.write("/etc/group", "root:x:0:\nalice:x:54321:\n" + (owner[1] == 0 ? "" : "kvm:x:" + owner[1] + ":\n"));
        if (owner[1] == 0) {
            h.write("/etc/group", "kvm:x:0:\nalice:x:54321:\n");
        }
        h.user(54321, 54321, 54321);
        HostReport r = probe(h, FakeHost.openFails("EACCES", "Permission denied (EACCES)"));
        DeviceNode node = r.facts().kvmDevice();
        assertEquals("0660", node.mode());
        assertEquals("kvm", node.group());
        assertFalse(node.readable());
        assertFalse(node.writable());
        Check access = r.check("kvm.access");
        assertEquals(Verdict.FAIL, access.verdict());
        assertTrue(access.title().contains("alice"), access.title());
        assertEquals("sudo usermod -aG kvm alice (then log out and in again)", access.fix());
        assertFalse(r.recommendation().kvmUsable());
        assertTrue(r.recommendation().reason().contains("EACCES"), r.recommendation().reason());
        assertTrue(r.recommendation().reason().contains("usermod -aG kvm alice"), r.recommendation().reason());

        // once alice is in the group, the mode bits allow access
        h.user(54321, 54321, 54321, owner[1]);
        HostReport ok = probe(h, FakeHost.workingKvm("GenuineIntel", true));
        assertTrue(ok.facts().kvmDevice().writable());
        assertEquals(Verdict.PASS, ok.check("kvm.access").verdict());
        assertTrue(ok.recommendation().kvmUsable());
    }

    @Test
    void rootOnlyDevKvmFixMentionsUdevRule(@TempDir Path dir) {
        FakeHost h = intelWithEpt(dir).device("/dev/kvm", "rw-------");
        h.write("/etc/passwd", "alice:x:54321:54321::/home/alice:/bin/sh\n").user(54321, 54321);
        HostReport r = probe(h, FakeHost.openFails("EACCES", "Permission denied (EACCES)"));
        Check access = r.check("kvm.access");
        assertEquals(Verdict.FAIL, access.verdict());
        assertTrue(access.fix().contains("chgrp kvm /dev/kvm"), access.fix());
        assertTrue(access.fix().contains("usermod -aG kvm alice"), access.fix());
    }

    @Test
    void twoMegAndOneGigHugepagesConfigured(@TempDir Path dir) {
        FakeHost h = intelWithEpt(dir).hugepages(2048, 512, 500, 10, 0).hugepages(1048576, 4, 4, 0, 1)
                .mount("hugetlbfs /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0")
                .mount("none /mnt/huge1g hugetlbfs rw,relatime,pagesize=1024M 0 0");
        HostReport r = probe(h, FakeHost.workingKvm("GenuineIntel", true));
        List<HugepagePool> pools = r.facts().memory().hugepages();
        assertEquals(2, pools.size());
        assertEquals(new HugepagePool(2048, 512, 500, 10, 0), pools.get(0));
        assertEquals(new HugepagePool(1048576, 4, 4, 0, 1), pools.get(1));
        Check hp = r.check("mem.hugepages");
        assertEquals(Verdict.PASS, hp.verdict());
        assertEquals("2M: 512 total, 500 free, 10 reserved; 1G: 4 total, 4 free, 0 reserved, 1 surplus", hp.detail());
        assertEquals(Verdict.PASS, r.check("mem.hugetlbfs").verdict());
        assertEquals("/dev/hugepages, /mnt/huge1g", r.check("mem.hugetlbfs").detail());
    }

    @Test
    void hugepagesWithoutHugetlbfsMountWarns(@TempDir Path dir) {
        FakeHost h = intelWithEpt(dir).hugepages(2048, 64, 64, 0, 0).thp("always madvise [never]", "[never]")
                .ksm(1, 1234);
        HostReport r = probe(h, FakeHost.workingKvm("GenuineIntel", true));
        assertEquals(Verdict.WARN, r.check("mem.hugetlbfs").verdict());
        assertTrue(r.check("mem.hugetlbfs").fix().contains("mount -t hugetlbfs"));
        assertEquals(Verdict.WARN, r.check("mem.thp").verdict());
        assertEquals("running, 1234 pages sharing", r.check("mem.ksm").detail());
    }

    @Test
    void kvmPvmWithoutHardwareVirtualisationRecommendsTcg(@TempDir Path dir) {
        FakeHost h = new FakeHost(dir).cpu("AuthenticAMD", "AMD EPYC", 2, EPYC_NO_SVM, null)
                .module("kvm", "tdp_mmu", "N").module("kvm_pvm", "pvm_native", "Y")
                .device("/dev/kvm", "rw-------").device("/dev/net/tun", "rw-------")
                .hugepages(2048, 0, 0, 0, 0).hugepages(1048576, 0, 0, 0, 0);
        HostReport r = probe(h, FakeHost.workingKvm("AuthenticAMD", true));
        AccelRecommendation rec = r.recommendation();
        assertFalse(rec.kvmUsable());
        assertEquals("tcg", rec.accelerator());
        assertEquals("/dev/kvm answers ioctls through kvm_pvm (API 12, KVM_CREATE_VM ok, KVM_RUN smoke test passed)"
                + " but hardware virtualisation (vmx/svm) is absent, so full guests should run under TCG", rec.reason());
        assertEquals(Verdict.FAIL, r.check("cpu.hwvirt").verdict());
        assertTrue(r.check("cpu.hwvirt").detail().contains("itself a VM"), r.check("cpu.hwvirt").detail());
        assertEquals(Verdict.WARN, r.check("kvm.module").verdict());
        assertTrue(r.check("kvm.module").detail().startsWith("kvm_pvm loaded"));
        assertEquals(Verdict.PASS, r.check("kvm.run").verdict());
        assertEquals(Verdict.INFO, r.check("kvm.mmu").verdict());
        assertEquals(Verdict.WARN, r.check("iommu").verdict());
        assertTrue(r.check("iommu").detail().contains("unknown"), r.check("iommu").detail());
        assertEquals(Verdict.INFO, r.check("mem.hugepages").verdict());
        assertTrue(r.check("mem.hugepages").detail().startsWith("none configured (2M: 0 total"));
    }

    @Test
    void failedSmokeTestMeansTcgEvenWithVmx(@TempDir Path dir) {
        HostReport r = probe(intelWithEpt(dir), FakeHost.workingKvm("GenuineIntel", false));
        assertFalse(r.recommendation().kvmUsable());
        assertTrue(r.recommendation().reason().contains("smoke test failed"), r.recommendation().reason());
        assertEquals(Verdict.FAIL, r.check("kvm.run").verdict());
    }

    @Test
    void regularFileAsDevKvmGivesEnottyVerdictWithBothBackends(@TempDir Path dir) {
        for (NativeAccess a : List.of(NativeAccess.jna(), NativeAccess.jnr())) {
            HostReport r = probe(intelWithEpt(dir), KvmDeviceProbe.nativeProbe(a, true));
            assertEquals(Verdict.WARN, r.check("kvm.device").verdict(), "regular file, not a char device");
            Check api = r.check("kvm.api");
            assertEquals(Verdict.FAIL, api.verdict(), api.toString());
            assertTrue(api.detail().contains("ENOTTY"), api.detail());
            assertEquals("ENOTTY", r.facts().kvm().errno());
            assertEquals(a.name(), r.facts().kvm().backend());
            assertFalse(r.recommendation().kvmUsable());
            assertTrue(r.recommendation().reason().contains("does not answer KVM ioctls (ENOTTY)"),
                    r.recommendation().reason());
        }
    }

    @Test
    void nativeProbeOfMissingDeviceReportsEnoent(@TempDir Path dir) {
        KvmDeviceFacts f = KvmDeviceProbe.nativeProbe(NativeAccess.get(), true).probe(dir.resolve("kvm").toString());
        assertFalse(f.opened());
        assertEquals("ENOENT", f.openErrno());
        assertTrue(f.error().contains("No such file or directory"), f.error());
        assertFalse(f.works());
    }

    @Test
    void factsRoundTripThroughJsonGiveTheSameVerdicts(@TempDir Path dir) throws Exception {
        HostReport r = probe(intelWithEpt(dir).hugepages(2048, 8, 8, 0, 0), FakeHost.workingKvm("GenuineIntel", true));
        ObjectMapper m = new ObjectMapper();
        String json = m.writeValueAsString(r.facts());
        HostFacts back = m.readValue(json, HostFacts.class);
        HostReport again = HostProbe.evaluate(back);
        assertEquals(r.checks(), again.checks());
        assertEquals(r.recommendation(), again.recommendation());
        assertNotNull(m.readTree(json).get("kvm").get("capabilities").get("KVM_CAP_NR_VCPUS"));
        assertTrue(m.readTree(json).get("kvm").get("capabilities").get("KVM_CAP_NR_VCPUS").isInt());
        assertTrue(m.readTree(json).get("kvm").get("capabilities").get("KVM_CAP_IRQCHIP").isBoolean());
    }
}

package io.kvmj.core.host;

import io.kvmj.core.kvm.Kvm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns {@link HostFacts} into verdicts, one {@link Check} per concern, in display order. */
final class HostChecks {
    private HostChecks() {}

    static final String MODPROBE_HINT = "modprobe kvm_intel (Intel) or kvm_amd (AMD)";

    static List<Check> evaluate(HostFacts f) {
        List<Check> out = new ArrayList<>();
        out.add(hwVirt(f));
        out.add(module(f));
        out.add(mmu(f));
        out.add(nested(f));
        out.add(device(f));
        out.add(access(f));
        out.add(api(f));
        out.add(createVm(f));
        out.add(run(f));
        out.add(capabilities(f));
        out.add(guestCpuid(f));
        out.add(hugepages(f));
        out.add(hugetlbfs(f));
        out.add(thp(f));
        out.add(ksm(f));
        out.add(iommu(f));
        out.add(tun(f));
        out.add(vhostNet(f));
        out.add(vhostVsock(f));
        return out;
    }

    private static Check hwVirt(HostFacts f) {
        String t = "Hardware virtualisation (vmx/svm)";
        CpuFacts c = f.cpu();
        if (c.vmx()) {
            return Check.pass("cpu.hwvirt", t, "Intel VT-x (vmx) present" + (c.hypervisor() ? " (nested, running under a hypervisor)" : ""));
        }
        if (c.svm()) {
            return Check.pass("cpu.hwvirt", t, "AMD-V (svm) present" + (c.hypervisor() ? " (nested, running under a hypervisor)" : ""));
        }
        String where = c.hypervisor() ? "; this host is itself a VM whose hypervisor does not expose nested virtualisation"
                : "; it may be disabled in the firmware (BIOS/UEFI)";
        return Check.fail("cpu.hwvirt", t, "neither vmx nor svm in /proc/cpuinfo (" + describeCpu(c) + ")" + where,
                c.hypervisor() ? "enable nested virtualisation on the outer hypervisor, or use TCG"
                        : "enable VT-x/AMD-V in the firmware settings, or use TCG");
    }

    private static String describeCpu(CpuFacts c) {
        String v = c.modelName().isEmpty() ? c.vendor() : c.modelName();
        return v.isEmpty() ? "unknown CPU" : v;
    }

    private static Check module(HostFacts f) {
        String t = "KVM kernel module";
        List<String> names = f.kvmModules().stream().map(KvmModule::name).filter(n -> !n.equals("kvm")).toList();
        KvmModule hw = f.kvmModules().stream().filter(KvmModule::hardware).findFirst().orElse(null);
        if (hw != null) {
            return Check.pass("kvm.module", t, String.join(", ", names) + " loaded");
        }
        if (f.module("kvm_pvm") != null) {
            return Check.warn("kvm.module", t, "kvm_pvm loaded (PVM: KVM without hardware virtualisation, runs only"
                    + " PVM-enabled guest kernels); no kvm_intel/kvm_amd", hardwareFix(f));
        }
        if (!names.isEmpty()) {
            return Check.warn("kvm.module", t, String.join(", ", names) + " loaded; no kvm_intel/kvm_amd",
                    hardwareFix(f));
        }
        if (f.module("kvm") != null) {
            return Check.fail("kvm.module", t, "kvm core loaded but no vendor module (kvm_intel/kvm_amd)",
                    hardwareFix(f));
        }
        return Check.fail("kvm.module", t, "no KVM module in /sys/module", hardwareFix(f));
    }

    private static String hardwareFix(HostFacts f) {
        if (f.cpu().vmx()) {
            return "modprobe kvm_intel";
        }
        if (f.cpu().svm()) {
            return "modprobe kvm_amd";
        }
        return "needs a CPU with vmx/svm; otherwise use TCG";
    }

    private static Check mmu(HostFacts f) {
        String t = "Two-dimensional paging (EPT/NPT)";
        KvmModule intel = f.module("kvm_intel");
        KvmModule amd = f.module("kvm_amd");
        KvmModule m = intel != null ? intel : amd;
        if (m == null) {
            return Check.info("kvm.mmu", t, "not applicable: no kvm_intel/kvm_amd module");
        }
        String param = intel != null ? "ept" : "npt";
        Boolean on = m.flag(param);
        if (on == null) {
            return Check.info("kvm.mmu", t, m.name() + " has no '" + param + "' parameter");
        }
        if (on) {
            return Check.pass("kvm.mmu", t, m.name() + " " + param + "=" + m.parameters().get(param));
        }
        return Check.warn("kvm.mmu", t, m.name() + " " + param + "=" + m.parameters().get(param)
                + ": shadow paging, guests run markedly slower",
                "modprobe -r " + m.name() + " && modprobe " + m.name() + " " + param + "=1");
    }

    private static Check nested(HostFacts f) {
        String t = "Nested virtualisation";
        for (KvmModule m : f.kvmModules()) {
            if (m.hardware() && m.flag("nested") != null) {
                return Check.info("kvm.nested", t, m.name() + " nested=" + m.parameters().get("nested")
                        + (m.flag("nested") ? " (guests may run their own KVM)" : " (guests cannot run KVM)"));
            }
        }
        return Check.info("kvm.nested", t, "not applicable: no kvm_intel/kvm_amd nested parameter");
    }

    private static Check device(HostFacts f) {
        String t = "/dev/kvm exists";
        DeviceNode d = f.kvmDevice();
        if (!d.exists()) {
            return Check.fail("kvm.device", t, "no /dev/kvm", f.cpu().hardwareVirtualization() ? MODPROBE_HINT
                    : "needs a CPU with vmx/svm and the kvm_intel/kvm_amd module; otherwise use TCG");
        }
        if (!"char".equals(d.type())) {
            return Check.warn("kvm.device", t, "/dev/kvm is a " + d.type() + ", not a character device",
                    "remove it and load " + MODPROBE_HINT);
        }
        return Check.pass("kvm.device", t, "character device, mode " + d.mode() + ", group " + d.group());
    }

    private static Check access(HostFacts f) {
        String t = "/dev/kvm access for " + f.user().name();
        DeviceNode d = f.kvmDevice();
        KvmDeviceFacts k = f.kvm();
        if (!d.exists()) {
            return Check.info("kvm.access", t, "not applicable: no /dev/kvm");
        }
        boolean denied = k != null && !k.opened() && ("EACCES".equals(k.openErrno()) || "EPERM".equals(k.openErrno()));
        boolean byMode = d.readable() && d.writable();
        if (k != null && k.opened()) {
            return Check.pass("kvm.access", t, (f.user().root() ? "root (uid 0)" : "uid " + f.user().uid())
                    + " opened /dev/kvm read-write");
        }
        if (denied || !byMode) {
            return Check.fail("kvm.access", t, "uid " + f.user().uid() + " may not open /dev/kvm read-write (mode "
                    + d.mode() + ", group " + d.group() + (denied ? ", open: " + k.openErrno() : "") + ")",
                    accessFix(f));
        }
        return Check.fail("kvm.access", t, "open failed: " + (k == null ? "not attempted" : k.error()), null);
    }

    static String accessFix(HostFacts f) {
        String user = f.user().name();
        if ("kvm".equals(f.kvmDevice().group()) && (Integer.parseInt(f.kvmDevice().mode(), 8) & 060) == 060) {
            return "sudo usermod -aG kvm " + user + " (then log out and in again)";
        }
        return "sudo groupadd -f kvm && sudo chgrp kvm /dev/kvm && sudo chmod 660 /dev/kvm"
                + " (persist with a udev rule: KERNEL==\"kvm\", GROUP=\"kvm\", MODE=\"0660\"),"
                + " then sudo usermod -aG kvm " + user + " and log in again";
    }

    private static Check api(HostFacts f) {
        String t = "KVM API version";
        KvmDeviceFacts k = f.kvm();
        if (k == null || !k.opened()) {
            return Check.info("kvm.api", t, "not checked: /dev/kvm " + (k == null ? "missing" : "could not be opened"
                    + (k.error() == null ? "" : " (" + k.error() + ")")));
        }
        if (k.apiVersion() == Kvm.API_VERSION) {
            return Check.pass("kvm.api", t, "KVM_GET_API_VERSION = 12 (" + k.backend() + " backend)");
        }
        if ("ENOTTY".equals(k.errno()) || "EINVAL".equals(k.errno())) {
            return Check.fail("kvm.api", t, "/dev/kvm does not answer KVM ioctls (" + k.errno()
                    + "): not a KVM device, or a kernel without this ioctl", MODPROBE_HINT);
        }
        return Check.fail("kvm.api", t, k.error() == null ? "API version " + k.apiVersion() : k.error(), null);
    }

    private static Check createVm(HostFacts f) {
        String t = "KVM_CREATE_VM";
        KvmDeviceFacts k = f.kvm();
        if (k == null || k.vmCreated() == null) {
            return Check.info("kvm.vm", t, "not attempted");
        }
        return k.vmCreated() ? Check.pass("kvm.vm", t, "a VM was created and destroyed")
                : Check.fail("kvm.vm", t, k.error() == null ? "failed" : k.error(),
                        "check dmesg; another hypervisor may hold VT-x/AMD-V");
    }

    private static Check run(HostFacts f) {
        String t = "KVM_RUN smoke test";
        KvmDeviceFacts k = f.kvm();
        if (k == null || k.smokeTest() == null) {
            return Check.info("kvm.run", t, "not run");
        }
        return k.smokeTest().passed() ? Check.pass("kvm.run", t, k.smokeTest().detail())
                : Check.fail("kvm.run", t, k.smokeTest().detail() + " (last exit " + k.smokeTest().lastExit() + ")",
                        null);
    }

    private static Check capabilities(HostFacts f) {
        String t = "KVM capabilities";
        KvmDeviceFacts k = f.kvm();
        if (k == null || k.capabilities().isEmpty()) {
            return Check.info("kvm.caps", t, "not checked");
        }
        Map<String, Object> c = k.capabilities();
        long present = c.values().stream().filter(v -> v instanceof Boolean ? (Boolean) v : ((Integer) v) > 0).count();
        String detail = String.format("%d of %d present; NR_VCPUS=%s MAX_VCPUS=%s MAX_VCPU_ID=%s NR_MEMSLOTS=%s",
                present, c.size(), c.get("KVM_CAP_NR_VCPUS"), c.get("KVM_CAP_MAX_VCPUS"),
                c.get("KVM_CAP_MAX_VCPU_ID"), c.get("KVM_CAP_NR_MEMSLOTS"));
        List<String> missing = List.of("KVM_CAP_USER_MEMORY", "KVM_CAP_IRQCHIP", "KVM_CAP_EXT_CPUID").stream()
                .filter(n -> !Boolean.TRUE.equals(c.get(n))).toList();
        if (!missing.isEmpty()) {
            return Check.warn("kvm.caps", t, detail + "; missing " + String.join(", ", missing),
                    "QEMU needs these for -accel kvm; use TCG");
        }
        return Check.info("kvm.caps", t, detail);
    }

    private static Check guestCpuid(HostFacts f) {
        String t = "Guest CPUID (KVM_GET_SUPPORTED_CPUID)";
        KvmDeviceFacts k = f.kvm();
        if (k == null || k.cpuidEntries() < 0) {
            return Check.info("kvm.cpuid", t, "not checked");
        }
        String on = k.guestCpuFeatures().entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                .collect(Collectors.joining(" "));
        return Check.info("kvm.cpuid", t, k.guestCpuVendor() + ", " + k.cpuidEntries() + " leaves, " + k.msrCount()
                + " MSRs; guest features: " + on);
    }

    private static Check hugepages(HostFacts f) {
        String t = "Hugepages";
        List<HugepagePool> pools = f.memory().hugepages();
        if (pools.isEmpty()) {
            return Check.info("mem.hugepages", t, "no hugetlb support in this kernel");
        }
        String detail = pools.stream().map(p -> p.sizeLabel() + ": " + p.total() + " total, " + p.free() + " free, "
                + p.reserved() + " reserved" + (p.surplus() > 0 ? ", " + p.surplus() + " surplus" : ""))
                .collect(Collectors.joining("; "));
        if (pools.stream().anyMatch(p -> p.total() > 0)) {
            return Check.pass("mem.hugepages", t, detail);
        }
        HugepagePool first = pools.get(0);
        return Check.info("mem.hugepages", t, "none configured (" + detail + ")",
                "echo N > /sys/kernel/mm/hugepages/hugepages-" + first.sizeKb() + "kB/nr_hugepages, or hugepages=N"
                        + " on the kernel command line (optional: speeds up guest RAM)");
    }

    private static Check hugetlbfs(HostFacts f) {
        String t = "hugetlbfs mount";
        List<String> mounts = f.memory().hugetlbfsMounts();
        boolean configured = f.memory().hugepages().stream().anyMatch(p -> p.total() > 0);
        if (!mounts.isEmpty()) {
            return Check.pass("mem.hugetlbfs", t, String.join(", ", mounts));
        }
        if (configured) {
            return Check.warn("mem.hugetlbfs", t, "hugepages are configured but hugetlbfs is not mounted",
                    "mkdir -p /dev/hugepages && mount -t hugetlbfs hugetlbfs /dev/hugepages");
        }
        return Check.info("mem.hugetlbfs", t, "not mounted");
    }

    private static Check thp(HostFacts f) {
        String t = "Transparent hugepages";
        String mode = f.memory().thpEnabled();
        if (mode == null) {
            return Check.info("mem.thp", t, "not supported by this kernel");
        }
        String detail = "enabled=" + mode + ", defrag=" + f.memory().thpDefrag();
        if (mode.equals("never")) {
            return Check.warn("mem.thp", t, detail + ": guest RAM uses 4K pages unless backed by hugetlbfs",
                    "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled");
        }
        return Check.pass("mem.thp", t, detail + (mode.equals("madvise") ? " (QEMU madvises guest RAM)" : ""));
    }

    private static Check ksm(HostFacts f) {
        String t = "Kernel samepage merging (KSM)";
        int run = f.memory().ksmRun();
        if (run < 0) {
            return Check.info("mem.ksm", t, "not available");
        }
        String state = run == 1 ? "running" : run == 2 ? "unmerging" : "stopped";
        return Check.info("mem.ksm", t, state + (run == 1 ? ", " + f.memory().ksmPagesSharing() + " pages sharing" : ""));
    }

    private static Check iommu(HostFacts f) {
        String t = "IOMMU (device assignment)";
        IommuFacts i = f.iommu();
        if (i.groups() > 0) {
            return Check.pass("iommu", t, i.groups() + " IOMMU groups");
        }
        if (f.cpu().vmx()) {
            return i.dmarTable() ? Check.warn("iommu", t, "ACPI DMAR table present but no IOMMU groups: IOMMU is"
                    + " disabled in the kernel", "add intel_iommu=on to the kernel command line")
                    : Check.warn("iommu", t, "no ACPI DMAR table: IOMMU disabled in firmware or not supported",
                            "enable VT-d in the firmware settings");
        }
        if (f.cpu().svm()) {
            return i.ivrsTable() ? Check.warn("iommu", t, "ACPI IVRS table present but no IOMMU groups: IOMMU is"
                    + " disabled in the kernel", "add amd_iommu=on to the kernel command line")
                    : Check.warn("iommu", t, "no ACPI IVRS table: IOMMU disabled in firmware or not supported",
                            "enable AMD-Vi/IOMMU in the firmware settings");
        }
        return Check.warn("iommu", t, "no IOMMU groups; unknown whether this platform has an IOMMU", null);
    }

    private static Check tun(HostFacts f) {
        DeviceNode d = f.device("/dev/net/tun");
        return d != null && d.exists() ? Check.pass("net.tun", "/dev/net/tun", "present (tap networking)")
                : Check.fail("net.tun", "/dev/net/tun", "missing: no tap networking (user-mode networking still works)",
                        "modprobe tun");
    }

    private static Check vhostNet(HostFacts f) {
        DeviceNode d = f.device("/dev/vhost-net");
        return d != null && d.exists() ? Check.pass("net.vhost-net", "/dev/vhost-net", "present (in-kernel virtio-net)")
                : Check.warn("net.vhost-net", "/dev/vhost-net", "missing: virtio-net runs in QEMU, slower",
                        "modprobe vhost_net");
    }

    private static Check vhostVsock(HostFacts f) {
        DeviceNode d = f.device("/dev/vhost-vsock");
        return d != null && d.exists() ? Check.pass("vsock.vhost-vsock", "/dev/vhost-vsock", "present (virtio-vsock)")
                : Check.info("vsock.vhost-vsock", "/dev/vhost-vsock", "missing: no vhost-vsock-pci devices",
                        "modprobe vhost_vsock");
    }
}

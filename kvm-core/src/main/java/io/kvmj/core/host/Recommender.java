package io.kvmj.core.host;

import java.util.List;

/** Decides between {@code kvm} and {@code tcg} from the facts, with the reason in one sentence. */
final class Recommender {
    private Recommender() {}

    static AccelRecommendation decide(HostFacts f) {
        CpuFacts cpu = f.cpu();
        KvmDeviceFacts k = f.kvm();
        String hw = cpu.vmx() ? "vmx" : cpu.svm() ? "svm" : null;
        List<String> modules = f.kvmModules().stream().map(KvmModule::name).filter(n -> !n.equals("kvm")).toList();
        boolean hwModule = f.kvmModules().stream().anyMatch(KvmModule::hardware);
        String via = modules.isEmpty() ? "an unidentified KVM module" : String.join(", ", modules);

        if (!f.kvmDevice().exists()) {
            return AccelRecommendation.tcg("/dev/kvm does not exist"
                    + (hw == null ? " and the CPU has no hardware virtualisation (vmx/svm)"
                            : " although the CPU has " + hw + ": " + HostChecks.MODPROBE_HINT));
        }
        if (k == null || !k.opened()) {
            String errno = k == null ? null : k.openErrno();
            if ("EACCES".equals(errno) || "EPERM".equals(errno)) {
                return AccelRecommendation.tcg("/dev/kvm exists but " + f.user().name() + " may not open it ("
                        + errno + "); fix: " + HostChecks.accessFix(f));
            }
            return AccelRecommendation.tcg("/dev/kvm could not be opened: "
                    + (k == null || k.error() == null ? "unknown error" : k.error()));
        }
        if (k.apiVersion() != io.kvmj.core.kvm.Kvm.API_VERSION) {
            return AccelRecommendation.tcg("/dev/kvm does not answer KVM ioctls"
                    + (k.errno() != null ? " (" + k.errno() + ")" : "") + ": " + k.error());
        }
        if (!Boolean.TRUE.equals(k.vmCreated())) {
            return AccelRecommendation.tcg("/dev/kvm answers ioctls but KVM_CREATE_VM failed: " + k.error());
        }
        if (k.smokeTest() != null && !k.smokeTest().passed()) {
            return AccelRecommendation.tcg("/dev/kvm creates VMs but the KVM_RUN smoke test failed: "
                    + k.smokeTest().detail());
        }
        String ran = k.smokeTest() != null ? ", KVM_RUN smoke test passed" : "";
        if (hw == null) {
            return AccelRecommendation.tcg("/dev/kvm answers ioctls through " + via + " (API 12, KVM_CREATE_VM ok"
                    + ran + ") but hardware virtualisation (vmx/svm) is absent, so full guests should run under TCG");
        }
        if (!hwModule && !modules.isEmpty()) {
            return AccelRecommendation.tcg("/dev/kvm is served by " + via + ", not kvm_intel/kvm_amd, although the"
                    + " CPU has " + hw + "; full guests should run under TCG until " + HostChecks.MODPROBE_HINT);
        }
        return AccelRecommendation.kvm("KVM usable: " + hw + " present, /dev/kvm answers through " + via
                + " (API 12, KVM_CREATE_VM ok" + ran + ")");
    }
}

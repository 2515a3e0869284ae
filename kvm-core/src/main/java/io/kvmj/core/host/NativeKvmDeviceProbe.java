package io.kvmj.core.host;

import io.kvmj.core.ffi.Errno;
import io.kvmj.core.ffi.NativeAccess;
import io.kvmj.core.ffi.NativeException;
import io.kvmj.core.kvm.Capability;
import io.kvmj.core.kvm.CpuidEntries;
import io.kvmj.core.kvm.Kvm;
import io.kvmj.core.kvm.KvmRunSmokeTest;
import io.kvmj.core.kvm.VmFd;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link KvmDeviceProbe} that issues real ioctls; each step's failure is recorded, never thrown. */
final class NativeKvmDeviceProbe implements KvmDeviceProbe {
    private static final Logger LOG = LoggerFactory.getLogger(NativeKvmDeviceProbe.class);

    /** Guest CPUID features reported in the facts. */
    static final List<String> KEY_GUEST_FEATURES = List.of("vmx", "svm", "hypervisor", "x2apic", "tsc_deadline",
            "avx", "avx2", "avx512f", "aes", "rdrand", "sse4_2", "xsave", "pdpe1gb", "la57", "lm", "nx");

    private final NativeAccess access;
    private final boolean runSmokeTest;

    NativeKvmDeviceProbe(NativeAccess access, boolean runSmokeTest) {
        this.access = access;
        this.runSmokeTest = runSmokeTest;
    }

    @Override
    public KvmDeviceFacts probe(String nativePath) {
        Kvm kvm;
        try {
            kvm = Kvm.open(access, nativePath);
        } catch (NativeException e) {
            return KvmDeviceFacts.openFailed(access.name(), errnoName(e), e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("cannot load the {} FFI backend", access.name(), e);
            return KvmDeviceFacts.openFailed(access.name(), null,
                    "native access (" + access.name() + ") unavailable: " + e);
        }
        try (kvm) {
            return probeOpen(kvm);
        }
    }

    private KvmDeviceFacts probeOpen(Kvm kvm) {
        Step s = new Step();
        int api = -1;
        try {
            api = kvm.apiVersion();
        } catch (NativeException e) {
            s.failed(e);
            return new KvmDeviceFacts(access.name(), true, null, -1, Map.of(), -1, null, null, Map.of(), -1, -1,
                    null, s.errno, s.error);
        }
        if (api != Kvm.API_VERSION) {
            return new KvmDeviceFacts(access.name(), true, null, api, Map.of(), -1, null, null, Map.of(), -1, -1,
                    null, null, "unsupported KVM API version " + api + " (expected " + Kvm.API_VERSION + ")");
        }
        Map<String, Object> caps = new LinkedHashMap<>();
        for (Capability c : Capability.values()) {
            try {
                int v = kvm.checkExtension(c);
                caps.put(c.cName(), c.numeric() ? (Object) v : (Object) (v > 0));
            } catch (NativeException e) {
                s.failed(e);
            }
        }
        int mmapSize = -1;
        try {
            mmapSize = kvm.vcpuMmapSize();
        } catch (NativeException e) {
            s.failed(e);
        }
        Boolean vmCreated;
        try (VmFd vm = kvm.createVm()) {
            vmCreated = vm.fd() >= 0;
        } catch (NativeException e) {
            s.failed(e);
            vmCreated = false;
        }
        String vendor = null;
        Map<String, Boolean> features = new LinkedHashMap<>();
        int entries = -1;
        try {
            CpuidEntries cpuid = kvm.supportedCpuid();
            vendor = cpuid.vendor();
            entries = cpuid.size();
            Map<String, Boolean> all = cpuid.features();
            for (String f : KEY_GUEST_FEATURES) {
                features.put(f, all.getOrDefault(f, false));
            }
        } catch (NativeException e) {
            s.failed(e);
        }
        int msrs = -1;
        try {
            msrs = kvm.msrIndexListCount();
        } catch (NativeException e) {
            s.failed(e);
        }
        KvmRunSmokeTest.Result smoke = null;
        if (runSmokeTest && vmCreated) {
            try {
                smoke = KvmRunSmokeTest.run(kvm);
            } catch (NativeException e) {
                smoke = new KvmRunSmokeTest.Result(false, "", "none", 0, e.getMessage());
            }
        }
        return new KvmDeviceFacts(access.name(), true, null, api, caps, mmapSize, vmCreated, vendor, features,
                entries, msrs, smoke, s.errno, s.error);
    }

    private static String errnoName(NativeException e) {
        return e.errno() == Errno.OTHER ? "errno " + e.errnoValue() : e.errno().name();
    }

    /** Keeps the first failure of a sequence of steps. */
    private static final class Step {
        String errno;
        String error;

        void failed(NativeException e) {
            LOG.debug("KVM probe step failed: {}", e.getMessage());
            if (error == null) {
                errno = errnoName(e);
                error = e.getMessage();
            }
        }
    }
}

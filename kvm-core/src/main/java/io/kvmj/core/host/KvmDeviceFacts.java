package io.kvmj.core.host;

import io.kvmj.core.kvm.KvmRunSmokeTest;
import java.util.Map;

/**
 * What {@code /dev/kvm} answered through ioctls. {@code opened} false means open(2) failed ({@code openErrno} and
 * {@code error} say why). {@code apiVersion} is -1 when the ioctl failed (then {@code error} and
 * {@code errno}, e.g. {@code ENOTTY}, say why). {@code capabilities} maps {@code KVM_CAP_*} names to a number
 * (numeric capabilities) or a boolean. {@code vmCreated} is null when not attempted. {@code smokeTest} is null
 * when not run.
 */
public record KvmDeviceFacts(String backend, boolean opened, String openErrno, int apiVersion,
        Map<String, Object> capabilities, int vcpuMmapSize, Boolean vmCreated, String guestCpuVendor,
        Map<String, Boolean> guestCpuFeatures, int cpuidEntries, int msrCount, KvmRunSmokeTest.Result smokeTest,
        String errno, String error) {

    /** An open(2) failure. */
    public static KvmDeviceFacts openFailed(String backend, String errno, String error) {
        return new KvmDeviceFacts(backend, false, errno, -1, Map.of(), -1, null, null, Map.of(), -1, -1, null,
                errno, error);
    }

    /** Whether the basics work: opened, API 12, a VM could be created, and the smoke test did not fail. */
    public boolean works() {
        return opened && apiVersion == io.kvmj.core.kvm.Kvm.API_VERSION && Boolean.TRUE.equals(vmCreated)
                && (smokeTest == null || smokeTest.passed());
    }
}

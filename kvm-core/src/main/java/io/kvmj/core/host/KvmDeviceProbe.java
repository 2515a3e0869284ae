package io.kvmj.core.host;

import io.kvmj.core.ffi.NativeAccess;

/**
 * Asks a KVM device what it can do. The real implementation ({@link #nativeProbe}) opens the device and issues
 * ioctls; tests of the verdict logic on fake trees substitute recorded answers.
 */
@FunctionalInterface
public interface KvmDeviceProbe {

    /** Probes the device at {@code nativePath} (a real filesystem path). Never throws for a failed call. */
    KvmDeviceFacts probe(String nativePath);

    /** Ioctls through {@code access}; runs the KVM_RUN smoke test when {@code runSmokeTest}. */
    static KvmDeviceProbe nativeProbe(NativeAccess access, boolean runSmokeTest) {
        return new NativeKvmDeviceProbe(access, runSmokeTest);
    }
}

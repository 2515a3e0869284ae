package io.kvmj.core.host;

import io.kvmj.core.ffi.NativeAccess;
import java.util.Objects;

/**
 * Probes a host for VM support. {@link #probe()} examines the real host through the FFI backend selected by
 * {@code kvmj.ffi}, including the KVM_RUN smoke test (a few milliseconds). Tests create an instance over a fake
 * root with {@link #HostProbe(HostRoot, KvmDeviceProbe)}.
 */
public final class HostProbe {
    private final HostRoot root;
    private final KvmDeviceProbe kvmProbe;

    /** A probe of {@code root} asking {@code kvmProbe} about its {@code /dev/kvm}. */
    public HostProbe(HostRoot root, KvmDeviceProbe kvmProbe) {
        this.root = Objects.requireNonNull(root, "root");
        this.kvmProbe = Objects.requireNonNull(kvmProbe, "kvmProbe");
    }

    /** Probes the real host ({@code /}) with {@link NativeAccess#get()} and the KVM_RUN smoke test. */
    public static HostReport probe() {
        return new HostProbe(HostRoot.system(), KvmDeviceProbe.nativeProbe(NativeAccess.get(), true)).run();
    }

    /** Gathers the facts and evaluates them. */
    public HostReport run() {
        return evaluate(HostFacts.gather(root, kvmProbe));
    }

    /** Evaluates already gathered facts (e.g. read back from JSON). */
    public static HostReport evaluate(HostFacts facts) {
        return new HostReport(HostChecks.evaluate(facts), facts, Recommender.decide(facts));
    }
}

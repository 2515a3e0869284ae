package io.kvmj.launcher;

import io.kvmj.core.host.AccelRecommendation;
import io.kvmj.core.host.HostProbe;
import io.kvmj.core.model.Accelerator;
import java.util.function.Supplier;

/**
 * Turns the accelerator a {@code GuestSpec} asks for into the one it runs with, before anything is spawned.
 * {@link Accelerator#AUTO}: KVM only when the host probe says hardware virtualisation is really usable, else TCG,
 * with the probe's reason. {@link Accelerator#KVM} on a host that cannot do it: {@link LaunchException} with the
 * probe's reason. {@link Accelerator#TCG}: TCG.
 */
@FunctionalInterface
public interface AcceleratorPolicy {
    /**
     * @throws LaunchException when {@code requested} cannot be honoured
     */
    AcceleratorChoice choose(Accelerator requested);

    /**
     * The policy backed by {@link HostProbe#probe()} (probed once, on first use, then cached). When the probe itself
     * cannot run (e.g. native access unavailable), KVM counts as not usable and the reason says why.
     */
    static AcceleratorPolicy probing() {
        return fromRecommendation(cachedOrTcg(() -> HostProbe.probe().recommendation()));
    }

    /**
     * {@code probe}'s recommendation, computed once; a probe that throws yields a TCG recommendation naming the
     * failure (never a guess towards KVM).
     */
    static Supplier<AccelRecommendation> cachedOrTcg(Supplier<AccelRecommendation> probe) {
        return new Supplier<>() {
            private volatile AccelRecommendation cached;

            @Override
            public AccelRecommendation get() {
                AccelRecommendation r = cached;
                if (r == null) {
                    try {
                        r = probe.get();
                    } catch (RuntimeException | LinkageError e) {
                        r = AccelRecommendation.tcg("the host probe failed (" + e + "), so KVM is not known to work:"
                                + " using TCG software emulation");
                    }
                    cached = r;
                }
                return r;
            }
        };
    }

    /** A policy deciding from the given recommendation source (tests inject fixed recommendations). */
    static AcceleratorPolicy fromRecommendation(Supplier<AccelRecommendation> recommendation) {
        return requested -> {
            switch (requested) {
                case TCG:
                    return new AcceleratorChoice("tcg", "TCG requested");
                case KVM: {
                    AccelRecommendation r = recommendation.get();
                    if (!r.kvmUsable()) {
                        throw new LaunchException("accelerator kvm requested, but KVM is not usable on this host: "
                                + r.reason() + " (use --accel tcg or auto)");
                    }
                    return new AcceleratorChoice("kvm", "KVM requested; " + r.reason());
                }
                case AUTO:
                default: {
                    AccelRecommendation r = recommendation.get();
                    return new AcceleratorChoice(r.kvmUsable() ? "kvm" : "tcg", "auto: " + r.reason());
                }
            }
        };
    }
}

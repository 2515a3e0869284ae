package io.kvmj.core.host;

/**
 * Which QEMU accelerator full guests should use here: {@code "kvm"} when KVM is usable for guests, otherwise
 * {@code "tcg"}, with the reason in one sentence.
 */
public record AccelRecommendation(boolean kvmUsable, String accelerator, String reason) {

    /** KVM is usable. */
    public static AccelRecommendation kvm(String reason) {
        return new AccelRecommendation(true, "kvm", reason);
    }

    /** Fall back to TCG. */
    public static AccelRecommendation tcg(String reason) {
        return new AccelRecommendation(false, "tcg", reason);
    }
}

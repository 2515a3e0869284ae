package io.kvmj.core.kvm;

/** {@code struct kvm_segment} (24 bytes): a segment register's hidden state. */
public record KvmSegment(long base, int limit, int selector, int type, boolean present, int dpl, boolean db,
        boolean s, boolean l, boolean g, boolean avl, boolean unusable) {

    /** A copy with a new base and selector (the usual real-mode tweak). */
    public KvmSegment withBaseSelector(long newBase, int newSelector) {
        return new KvmSegment(newBase, limit, newSelector, type, present, dpl, db, s, l, g, avl, unusable);
    }
}

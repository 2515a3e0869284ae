package io.kvmj.core.model;

/** Accelerator choice. {@link #AUTO} renders {@code -accel kvm -accel tcg}: QEMU tries KVM and falls back to TCG. */
public enum Accelerator { KVM, TCG, AUTO }

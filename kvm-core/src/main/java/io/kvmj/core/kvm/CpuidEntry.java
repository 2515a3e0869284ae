package io.kvmj.core.kvm;

/** One {@code struct kvm_cpuid_entry2}: a CPUID leaf ({@code function}, sub-leaf {@code index}) and its registers. */
public record CpuidEntry(int function, int index, int flags, int eax, int ebx, int ecx, int edx) {}

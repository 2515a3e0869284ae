/**
 * Thin wrappers over the KVM ioctl API in the spirit of rust-vmm {@code kvm-ioctls}: {@link io.kvmj.core.kvm.Kvm}
 * (system fd), {@link io.kvmj.core.kvm.VmFd} and {@link io.kvmj.core.kvm.VcpuFd}, a typed
 * {@link io.kvmj.core.kvm.Capability} enum, and a {@link io.kvmj.core.kvm.KvmRunSmokeTest} that executes real
 * guest code.
 */
package io.kvmj.core.kvm;

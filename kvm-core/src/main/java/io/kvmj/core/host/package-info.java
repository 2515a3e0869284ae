/**
 * Host facts and verdicts for running VMs: CPU flags, KVM module and parameters, {@code /dev/kvm} ioctls,
 * hugepages, THP, KSM, IOMMU, tun/vhost devices. Every path is read through a {@link io.kvmj.core.host.HostRoot}
 * so tests can point the probe at a fake {@code /proc} and {@code /sys} tree. Entry point:
 * {@link io.kvmj.core.host.HostProbe#probe()}. {@link io.kvmj.core.host.HostEnvironment} answers the argv renderer's
 * questions (O_DIRECT, free hugepages, PCI driver and IOMMU group) from the same tree.
 */
package io.kvmj.core.host;

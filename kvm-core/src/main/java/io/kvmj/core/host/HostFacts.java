package io.kvmj.core.host;

import java.util.List;

/**
 * Everything the probe found, before any verdict: CPU, KVM modules, the {@code /dev/kvm} node and its ioctl
 * answers, the user, memory features, IOMMU, and the other device nodes ({@code /dev/net/tun},
 * {@code /dev/vhost-net}, {@code /dev/vhost-vsock}).
 */
public record HostFacts(String root, CpuFacts cpu, List<KvmModule> kvmModules, DeviceNode kvmDevice,
        KvmDeviceFacts kvm, UserFacts user, MemoryFacts memory, IommuFacts iommu, List<DeviceNode> devices) {

    /** Device nodes checked besides {@code /dev/kvm}. */
    public static final List<String> OTHER_DEVICES = List.of("/dev/net/tun", "/dev/vhost-net", "/dev/vhost-vsock");

    public HostFacts {
        kvmModules = List.copyOf(kvmModules);
        devices = List.copyOf(devices);
    }

    /** Gathers all facts below {@code root}, asking {@code kvmProbe} about {@code /dev/kvm} if it exists. */
    public static HostFacts gather(HostRoot root, KvmDeviceProbe kvmProbe) {
        UserFacts user = UserFacts.read(root);
        DeviceNode kvmNode = DeviceNode.read(root, "/dev/kvm", user);
        KvmDeviceFacts kvm = kvmNode.exists() ? kvmProbe.probe(root.nativePath("/dev/kvm")) : null;
        List<DeviceNode> devices = OTHER_DEVICES.stream().map(d -> DeviceNode.read(root, d, user)).toList();
        return new HostFacts(root.root().toString(), CpuFacts.read(root), KvmModule.read(root), kvmNode, kvm, user,
                MemoryFacts.read(root), IommuFacts.read(root), devices);
    }

    /** The module with this name, or null. */
    public KvmModule module(String name) {
        return kvmModules.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }

    /** The device node with this path among {@link #devices()}, or null. */
    public DeviceNode device(String path) {
        return devices.stream().filter(d -> d.path().equals(path)).findFirst().orElse(null);
    }
}

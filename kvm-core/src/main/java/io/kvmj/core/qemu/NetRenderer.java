package io.kvmj.core.qemu;

import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.MacAddresses;
import io.kvmj.core.model.NicModel;
import io.kvmj.core.model.NicSpec;
import io.kvmj.core.model.PortForward;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code -netdev user|tap|bridge,id=ID} + {@code -device MODEL,id=ID-nic,netdev=ID,mac=...}. */
final class NetRenderer implements ArgRenderer {

    @Override
    public void render(RenderContext ctx) {
        List<NicSpec> nics = ctx.spec.nics();
        Set<String> ids = new HashSet<>();
        Set<String> hostPorts = new HashSet<>();
        for (int i = 0; i < nics.size(); i++) {
            NicSpec n = nics.get(i);
            String f = "nics[" + n.id() + "]";
            QemuIds.check(f + ".id", n.id());
            if (!ids.add(n.id())) {
                throw new InvalidSpecException(f + ".id", n.id(), "duplicate NIC id");
            }
            QemuOpts netdev;
            switch (n.kind()) {
                case USER -> {
                    netdev = QemuOpts.of("netdev", "user").add("id", n.id());
                    if (n.restrict()) {
                        netdev.onOff("restrict", true);
                    }
                    for (PortForward p : n.forwards()) {
                        String key = p.protocol() + "/" + p.hostAddress() + ":" + p.hostPort();
                        if (p.hostPort() != 0 && !hostPorts.add(key)) {
                            throw new InvalidSpecException(f + ".hostfwd", p.qemuValue(), "host port forwarded twice");
                        }
                        netdev.add("hostfwd", p.qemuValue());
                    }
                }
                case TAP -> {
                    netdev = QemuOpts.of("netdev", "tap").add("id", n.id()).add("ifname", n.ifname())
                            .add("script", "no").add("downscript", "no");
                    if (n.vhost()) {
                        netdev.onOff("vhost", true);
                        if (!Files.exists(ctx.host.root().resolve("dev/vhost-net"))) {
                            ctx.warn(f + ".vhost", "/dev/vhost-net does not exist on this host; QEMU will fail to enable vhost");
                        }
                    }
                }
                case BRIDGE -> netdev = QemuOpts.of("netdev", "bridge").add("id", n.id()).add("br", n.bridge());
                default -> throw new IllegalStateException(n.kind().toString());
            }
            ctx.arg("-netdev", netdev);
            if (n.model() == NicModel.E1000) {
                ctx.requireNotMicrovm(f + ".model", "e1000");
            }
            String device = n.model() == NicModel.VIRTIO_NET_PCI ? ctx.virtio("net") : n.model().device();
            String mac = n.mac() != null ? n.mac() : MacAddresses.derive(ctx.spec.name(), i);
            ctx.arg("-device", QemuOpts.of("device", device).add("id", n.id() + "-nic").add("netdev", n.id()).add("mac", mac));
        }
    }
}

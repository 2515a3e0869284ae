package io.kvmj.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A guest NIC with its backend. {@code mac == null} means "derive a stable 52:54:00 MAC from the guest name"
 * (see {@link MacAddresses}). Create with {@link #user(String)}, {@link #tap(String, String)} or {@link #bridge(String, String)}.
 */
public record NicSpec(String id, NetKind kind, NicModel model, String mac, List<PortForward> forwards, boolean restrict,
                      String ifname, boolean vhost, String bridge) {

    public NicSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        model = model == null ? NicModel.VIRTIO_NET_PCI : model;
        forwards = List.copyOf(forwards == null ? List.of() : forwards);
        if (mac != null && !MacAddresses.isValid(mac)) {
            throw new InvalidSpecException("nics[" + id + "].mac", mac, "not a unicast MAC aa:bb:cc:dd:ee:ff");
        }
        if (kind != NetKind.USER && (!forwards.isEmpty() || restrict)) {
            throw new InvalidSpecException("nics[" + id + "].hostfwd", forwards, "hostfwd/restrict are user-mode networking options");
        }
        if (kind == NetKind.BRIDGE && (bridge == null || bridge.isEmpty())) {
            throw new InvalidSpecException("nics[" + id + "].br", bridge, "bridge name required");
        }
        if (kind != NetKind.TAP && vhost) {
            throw new InvalidSpecException("nics[" + id + "].vhost", true, "vhost is a tap option");
        }
    }

    public static NicSpec user(String id) { return new NicSpec(id, NetKind.USER, NicModel.VIRTIO_NET_PCI, null, List.of(), false, null, false, null); }

    /** tap backend on an existing interface; rendered with {@code script=no,downscript=no}. */
    public static NicSpec tap(String id, String ifname) { return new NicSpec(id, NetKind.TAP, NicModel.VIRTIO_NET_PCI, null, List.of(), false, ifname, false, null); }

    public static NicSpec bridge(String id, String bridge) { return new NicSpec(id, NetKind.BRIDGE, NicModel.VIRTIO_NET_PCI, null, List.of(), false, null, false, bridge); }

    public NicSpec model(NicModel m) { return new NicSpec(id, kind, m, mac, forwards, restrict, ifname, vhost, bridge); }

    public NicSpec mac(String m) { return new NicSpec(id, kind, model, m, forwards, restrict, ifname, vhost, bridge); }

    public NicSpec forward(PortForward f) {
        List<PortForward> l = new ArrayList<>(forwards);
        l.add(f);
        return new NicSpec(id, kind, model, mac, l, restrict, ifname, vhost, bridge);
    }

    /** {@code restrict=on}: isolate the guest from the host network (hostfwd still works). */
    public NicSpec restrict(boolean on) { return new NicSpec(id, kind, model, mac, forwards, on, ifname, vhost, bridge); }

    public NicSpec vhost(boolean on) { return new NicSpec(id, kind, model, mac, forwards, restrict, ifname, on, bridge); }
}

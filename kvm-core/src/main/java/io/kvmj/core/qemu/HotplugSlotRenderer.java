package io.kvmj.core.qemu;

import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.MachineType;

import java.util.ArrayList;
import java.util.List;

/**
 * The spare PCIe root ports of {@link io.kvmj.core.model.GuestSpec#hotplugSlots()} on q35: {@code -device
 * pcie-root-port,id=hotplugN,bus=pcie.0,chassis=N+1}, rendered last so they do not move the PCI addresses of the
 * guest's other devices. Nothing on pc (its root bus takes hot-plugged devices); refused on microvm. Then the devices
 * with a fixed slot ({@link io.kvmj.core.model.DiskSpec#pciSlot()}: disks hot-plugged into the running guest).
 */
final class HotplugSlotRenderer implements ArgRenderer {
    /** Id prefix of the spare root ports. */
    static final String PREFIX = "hotplug";

    @Override
    public void render(RenderContext ctx) {
        List<String> ports = ports(ctx.spec);
        for (String id : ports) {
            int n = Integer.parseInt(id.substring(PREFIX.length()));
            ctx.arg("-device", QemuOpts.of("device", "pcie-root-port").add("id", id).add("bus", "pcie.0")
                    .add("chassis", n + 1));
        }
        for (io.kvmj.core.model.DiskSpec d : ctx.spec.disks()) {
            if (d.pciSlot() != null && d.pciSlot().bus().startsWith(PREFIX) && !ports.contains(d.pciSlot().bus())) {
                throw new InvalidSpecException("disks[" + d.id() + "].pciSlot", d.pciSlot().bus(), "the guest has no "
                        + "spare root port of that id (hotplugSlots " + ctx.spec.hotplugSlots() + ")");
            }
        }
        // devices placed in a fixed slot (disks hot-plugged earlier) go last: after the ports they sit in, and after
        // every device QEMU places itself, which thus gets the slot it got when the guest was first launched
        ctx.lateDevices.forEach(dev -> ctx.arg("-device", dev));
    }

    /** The ids of the spare root ports {@code spec} gets (empty unless q35 with hot-plug slots). */
    static List<String> ports(io.kvmj.core.model.GuestSpec spec) {
        if (spec.hotplugSlots() > 0 && spec.machine() == MachineType.MICROVM) {
            throw new InvalidSpecException("hotplugSlots", spec.hotplugSlots(), "microvm has no PCI hot-plug; use q35");
        }
        List<String> ids = new ArrayList<>();
        if (spec.machine() == MachineType.Q35) {
            for (int i = 0; i < spec.hotplugSlots(); i++) {
                ids.add(PREFIX + i);
            }
        }
        return ids;
    }
}

package io.kvmj.core.qemu;

import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.PciHostDevice;
import io.kvmj.core.model.UsbHostDevice;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * USB host devices ({@code usb-host} on a {@code qemu-xhci} controller) and PCI functions ({@code vfio-pci,host=BDF},
 * checked: the function exists, has an IOMMU group and is bound to vfio-pci).
 */
final class PassthroughRenderer implements ArgRenderer {

    @Override
    public void render(RenderContext ctx) {
        List<UsbHostDevice> usb = ctx.spec.usbDevices();
        if (!usb.isEmpty()) {
            ctx.requireNotMicrovm("usb", "qemu-xhci");
            ctx.arg("-device", QemuOpts.of("device", "qemu-xhci").add("id", "xhci0"));
            for (int i = 0; i < usb.size(); i++) {
                UsbHostDevice u = usb.get(i);
                QemuOpts d = QemuOpts.of("device", "usb-host").add("id", "usbhost" + i).add("bus", "xhci0.0");
                if (u.vendorId() != null) {
                    d.add("vendorid", String.format("0x%04x", u.vendorId())).add("productid", String.format("0x%04x", u.productId()));
                } else {
                    d.add("hostbus", u.hostBus()).add("hostaddr", u.hostAddr());
                }
                ctx.arg("-device", d);
            }
        }
        List<PciHostDevice> pci = ctx.spec.pciDevices();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < pci.size(); i++) {
            String bdf = pci.get(i).bdf();
            String f = "pci[" + bdf + "]";
            ctx.requireNotMicrovm(f, "vfio-pci");
            if (!seen.add(bdf)) {
                throw new InvalidSpecException(f, bdf, "passed through twice");
            }
            if (!Files.isDirectory(ctx.host.pciDevice(bdf))) {
                throw new InvalidSpecException(f, bdf, "no such PCI device (" + ctx.host.pciDevice(bdf) + ")");
            }
            if (!ctx.host.hasIommuGroup(bdf)) {
                throw new InvalidSpecException(f, bdf, "no IOMMU group: enable VT-d/AMD-Vi (intel_iommu=on / amd_iommu=on)");
            }
            Optional<String> driver = ctx.host.pciDriver(bdf);
            if (driver.isEmpty() || !driver.get().equals("vfio-pci")) {
                throw new InvalidSpecException(f, bdf, "bound to " + driver.map(d -> "driver '" + d + "'").orElse("no driver")
                        + ", not vfio-pci: unbind it and bind vfio-pci (driverctl set-override " + bdf + " vfio-pci)");
            }
            ctx.arg("-device", QemuOpts.of("device", "vfio-pci").add("id", "hostpci" + i).add("host", bdf));
        }
    }
}

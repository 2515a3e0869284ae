package io.kvmj.core.libvirt;

import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.PciHostDevice;
import io.kvmj.core.model.UsbHostDevice;
import io.kvmj.core.model.VncSpec;
import org.w3c.dom.Element;

/** {@code <graphics>}, {@code <video>} and {@code <hostdev>} of {@link DeviceXmlReader}. */
final class DisplayHostdevXmlReader {
    private final DomainXmlReader r;
    private final Seen seen;
    private final Element devices;
    private final GuestSpec.Builder b;

    DisplayHostdevXmlReader(DomainXmlReader r, Element devices, GuestSpec.Builder b) {
        this.r = r;
        this.seen = r.seen;
        this.devices = devices;
        this.b = b;
    }

    void graphics() {
        for (Element g : seen.all(devices, "graphics")) {
            String type = seen.attr(g, "type");
            if (!"vnc".equals(type)) {
                seen.useAll(g);
                r.notes.add(new LibvirtNote("/domain/devices/graphics[@type='" + type + "']", "not imported (kvmj: VNC)"));
                continue;
            }
            String port = seen.attr(g, "port");
            String autoport = seen.attr(g, "autoport");
            String listen = seen.attr(g, "listen");
            Element l = seen.child(g, "listen");
            if (l != null) {
                seen.attr(l, "type");
                String a = seen.attr(l, "address");
                listen = a != null ? a : listen;
            }
            if (g.hasAttribute("passwd")) {
                seen.attr(g, "passwd");
                r.notes.add(new LibvirtNote("/domain/devices/graphics/@passwd", "not imported: give kvmj a password file"));
            }
            int display = 0;
            if (port != null && !port.equals("-1") && !"yes".equals(autoport)) {
                display = Integer.parseInt(port) - 5900;
            } else {
                r.notes.add(new LibvirtNote("/domain/devices/graphics/@autoport", "automatic port imported as display 0 (5900)"));
            }
            b.vnc(new VncSpec(listen == null ? "127.0.0.1" : listen, display, null));
        }
        for (Element v : seen.all(devices, "video")) {
            Element m = seen.child(v, "model");
            String t = seen.attr(m, "type");
            seen.attr(m, "vram");
            seen.attr(m, "heads");
            seen.attr(m, "primary");
            seen.useAll(seen.child(v, "alias"));
            seen.useAll(seen.child(v, "address"));
            if (t != null && !t.equals("vga") && !t.equals("none")) {
                r.notes.add(new LibvirtNote("/domain/devices/video/model", "'" + t + "' not imported: kvmj shows VNC on a VGA device"));
            }
        }
    }

    void hostdevs() {
        for (Element h : seen.all(devices, "hostdev")) {
            String type = seen.attr(h, "type");
            seen.attr(h, "mode");
            seen.attr(h, "managed");
            Element src = seen.child(h, "source");
            seen.useAll(seen.child(h, "alias"));
            seen.useAll(seen.child(h, "address"));
            seen.useAll(seen.child(h, "driver"));
            if ("usb".equals(type)) {
                Element v = seen.child(src, "vendor");
                Element p = seen.child(src, "product");
                Element a = seen.child(src, "address");
                if (v != null && p != null) {
                    b.usb(UsbHostDevice.byId(Integer.decode(seen.attr(v, "id")), Integer.decode(seen.attr(p, "id"))));
                } else if (a != null) {
                    b.usb(UsbHostDevice.byAddress(Integer.decode(seen.attr(a, "bus")), Integer.decode(seen.attr(a, "device"))));
                }
            } else if ("pci".equals(type)) {
                Element a = seen.child(src, "address");
                int dom = Integer.decode(DeviceXmlReader.orZero(seen.attr(a, "domain")));
                int bus = Integer.decode(seen.attr(a, "bus"));
                int slot = Integer.decode(seen.attr(a, "slot"));
                int fn = Integer.decode(seen.attr(a, "function"));
                b.pci(PciHostDevice.of(String.format("%04x:%02x:%02x.%x", dom, bus, slot, fn)));
            } else {
                seen.useAll(h);
                r.notes.add(new LibvirtNote("/domain/devices/hostdev[@type='" + type + "']", "not imported (kvmj: usb, pci)"));
            }
        }
    }
}

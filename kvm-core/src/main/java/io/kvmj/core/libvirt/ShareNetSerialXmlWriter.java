package io.kvmj.core.libvirt;

import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MacAddresses;
import io.kvmj.core.model.NicModel;
import io.kvmj.core.model.NicSpec;
import io.kvmj.core.model.NinePShare;
import io.kvmj.core.model.SerialSpec;
import java.util.List;
import java.util.stream.Collectors;
import org.w3c.dom.Element;

/** 9p shares, NICs and serial ports of {@link DomainXmlWriter}. */
final class ShareNetSerialXmlWriter {
    private final GuestSpec s;
    private final List<LibvirtNote> notes;
    private final List<LibvirtNote> refusals;

    ShareNetSerialXmlWriter(GuestSpec s, List<LibvirtNote> notes, List<LibvirtNote> refusals) {
        this.s = s;
        this.notes = notes;
        this.refusals = refusals;
    }

    void filesystem(Element dev, NinePShare sh) {
        String f = "shares[" + sh.tag() + "]";
        Element fs = Xml.add(dev, "filesystem");
        fs.setAttribute("type", "mount");
        String mode = switch (sh.securityModel()) {
            case MAPPED_XATTR -> "mapped";
            case PASSTHROUGH -> "passthrough";
            case NONE -> "squash";
            case MAPPED_FILE -> null;
        };
        if (mode == null) {
            refusals.add(new LibvirtNote(f + ".securityModel", "mapped-file has no libvirt accessmode (mapped is "
                    + "mapped-xattr, squash is none)"));
            mode = "mapped";
        }
        fs.setAttribute("accessmode", mode);
        if (sh.multidevsRemap()) {
            fs.setAttribute("multidevs", "remap");
        }
        Xml.add(fs, "driver").setAttribute("type", "path");
        Xml.add(fs, "source").setAttribute("dir", DomainXmlWriter.abs(sh.path()));
        Xml.add(fs, "target").setAttribute("dir", sh.tag());
        if (sh.readOnly()) {
            Xml.add(fs, "readonly");
        }
    }

    void nic(Element dev, NicSpec n, int index) {
        String f = "nics[" + n.id() + "]";
        Element i = Xml.add(dev, "interface");
        switch (n.kind()) {
            case USER -> i.setAttribute("type", "user");
            case TAP -> i.setAttribute("type", "ethernet");
            case BRIDGE -> i.setAttribute("type", "bridge");
            default -> throw new IllegalStateException(n.kind().toString());
        }
        Xml.add(i, "mac").setAttribute("address", n.mac() != null ? n.mac().toLowerCase(java.util.Locale.ROOT)
                : MacAddresses.derive(s.name(), index));
        switch (n.kind()) {
            case TAP -> {
                Element t = Xml.add(i, "target");
                t.setAttribute("dev", n.ifname());
                t.setAttribute("managed", "no");
            }
            case BRIDGE -> Xml.add(i, "source").setAttribute("bridge", n.bridge());
            default -> { }
        }
        Xml.add(i, "model").setAttribute("type", n.model() == NicModel.E1000 ? "e1000" : "virtio");
        if (n.kind() == io.kvmj.core.model.NetKind.TAP) {
            Xml.add(i, "driver").setAttribute("name", n.vhost() ? "vhost" : "qemu");
        }
        DomainXmlWriter.alias(i, n.id());
        if (!n.forwards().isEmpty()) {
            notes.add(new LibvirtNote(f + ".hostfwd", "libvirt's user (slirp) networking has no port forwards; "
                    + n.forwards().stream().map(p -> p.qemuValue()).collect(Collectors.joining(" ")) + " not carried out"));
        }
        if (n.restrict()) {
            notes.add(new LibvirtNote(f + ".restrict", "libvirt's user networking has no restrict=on; the guest reaches "
                    + "the host network"));
        }
    }

    void serial(Element dev, SerialSpec sp, int port) {
        String f = "serials[" + port + "]";
        Element e = Xml.add(dev, "serial");
        switch (sp.kind()) {
            case FILE -> {
                e.setAttribute("type", "file");
                Xml.add(e, "source").setAttribute("path", DomainXmlWriter.abs(sp.path()));
            }
            case UNIX_SOCKET -> {
                e.setAttribute("type", "unix");
                Element src = Xml.add(e, "source");
                src.setAttribute("mode", "bind");
                src.setAttribute("path", DomainXmlWriter.abs(sp.path()));
            }
            case STDIO -> refusals.add(new LibvirtNote(f, "a stdio serial port has no meaning under the libvirt daemon"));
            default -> throw new IllegalStateException(sp.kind().toString());
        }
        if (sp.logfile() != null) {
            Element log = Xml.add(e, "log");
            log.setAttribute("file", DomainXmlWriter.abs(sp.logfile()));
            log.setAttribute("append", "on");
        }
        Element t = Xml.add(e, "target");
        t.setAttribute("type", "isa-serial");
        t.setAttribute("port", String.valueOf(port));
    }
}

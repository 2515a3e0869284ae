package io.kvmj.launcher.backend;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The disks of a libvirt domain XML document ({@code virDomainGetXMLDesc}), with the backing chain libvirt reports
 * for a running domain ({@code <backingStore>}, newest first), and the {@code <domainsnapshot>} document of an
 * external disk-only snapshot of one of them.
 *
 * <pre>{@code
 * List<LibvirtDisk> disks = LibvirtDiskXml.disks(domain.getXMLDesc(0));
 * String snap = LibvirtDiskXml.externalSnapshot(disks, "vda", "/var/lib/vm/vda-1.qcow2");
 * String vdb = LibvirtDiskXml.diskElement(domain.getXMLDesc(0), "vdb");  // for virDomainDetachDeviceFlags
 * }</pre>
 */
public final class LibvirtDiskXml {
    private LibvirtDiskXml() {
    }

    /** Every {@code <devices><disk>} of {@code xml}, in document order. */
    public static List<LibvirtDisk> disks(String xml) {
        Element root = parse(xml);
        List<LibvirtDisk> out = new ArrayList<>();
        Element devices = child(root, "devices");
        if (devices == null) {
            return out;
        }
        for (Element d : children(devices, "disk")) {
            Element target = child(d, "target");
            Element driver = child(d, "driver");
            Element alias = child(d, "alias");
            List<BackendDisk.Layer> chain = new ArrayList<>();
            String active = source(child(d, "source"));
            if (active != null) {
                chain.add(new BackendDisk.Layer(active, attr(driver, "type"), null));
                for (Element b = child(d, "backingStore"); b != null; b = child(b, "backingStore")) {
                    String f = source(child(b, "source"));
                    if (f == null) {
                        break; // <backingStore/>: the end of the chain
                    }
                    chain.add(new BackendDisk.Layer(f, attr(child(b, "format"), "type"), null));
                }
            }
            out.add(new LibvirtDisk(attr(target, "dev"), d.hasAttribute("device") ? d.getAttribute("device") : "disk",
                    attr(target, "bus"), attr(alias, "name"), attr(driver, "cache"), child(d, "readonly") != null,
                    chain));
        }
        return out;
    }

    /**
     * The {@code <domainsnapshot>} of an external disk-only snapshot of {@code target} into a new qcow2 overlay
     * {@code overlay}; every other disk is left out of it ({@code snapshot='no'}).
     */
    public static String externalSnapshot(List<LibvirtDisk> disks, String target, String overlay) {
        StringBuilder s = new StringBuilder("<domainsnapshot><disks>");
        for (LibvirtDisk d : disks) {
            if (d.target() == null) {
                continue;
            }
            if (d.target().equals(target)) {
                s.append("<disk name='").append(escape(target)).append("' snapshot='external'><driver type='qcow2'/>")
                        .append("<source file='").append(escape(overlay)).append("'/></disk>");
            } else {
                s.append("<disk name='").append(escape(d.target())).append("' snapshot='no'/>");
            }
        }
        return s.append("</disks></domainsnapshot>").toString();
    }

    /**
     * The {@code <disk>} element of target dev {@code target} in {@code xml}, as libvirt wrote it (the device
     * document {@code virDomainDetachDeviceFlags} takes, as {@code virsh detach-disk} sends it), or null when the
     * domain has no such disk.
     */
    public static String diskElement(String xml, String target) {
        Element devices = child(parse(xml), "devices");
        if (devices == null) {
            return null;
        }
        for (Element d : children(devices, "disk")) {
            if (target.equals(attr(child(d, "target"), "dev"))) {
                try {
                    javax.xml.transform.Transformer t = javax.xml.transform.TransformerFactory.newInstance().newTransformer();
                    t.setOutputProperty(javax.xml.transform.OutputKeys.OMIT_XML_DECLARATION, "yes");
                    java.io.StringWriter w = new java.io.StringWriter();
                    t.transform(new javax.xml.transform.dom.DOMSource(d), new javax.xml.transform.stream.StreamResult(w));
                    return w.toString();
                } catch (javax.xml.transform.TransformerException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }

    private static String escape(String v) {
        return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")
                .replace("\"", "&quot;");
    }

    private static String source(Element src) {
        if (src == null) {
            return null;
        }
        for (String a : new String[] {"file", "dev", "name", "volume"}) {
            if (src.hasAttribute(a)) {
                return src.getAttribute(a);
            }
        }
        return null;
    }

    private static String attr(Element e, String name) {
        return e != null && e.hasAttribute(name) ? e.getAttribute(name) : null;
    }

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("domain XML does not parse: " + e.getMessage(), e);
        }
    }
}

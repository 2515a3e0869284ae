package io.kvmj.launcher.backend;

import java.util.ArrayList;
import java.util.List;

/**
 * What a guest started through libvirt gets beside its exported domain XML, as kvmj's launcher gives a local guest
 * its runtime parts: a serial console on a pty (libvirt's console stream, {@code virsh console}) when the spec has
 * no serial port, and the guest-agent channel in libvirt's own directory (so {@code qemuAgentCommand} and the
 * agent shutdown work) when the spec has none. The spec itself (in the document's {@code <metadata>}) is unchanged.
 */
final class DaemonDomainXml {
    static final String CONSOLE = "<serial type='pty'><target port='0'/></serial>"
            + "<console type='pty'><target type='serial' port='0'/></console>";
    static final String AGENT = "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>";

    private DaemonDomainXml() {
    }

    /**
     * {@code xml} (a {@code DomainXml.export} document) with the runtime parts it lacks; {@code uuid}, when not null,
     * is written as the domain's UUID if the document has none (redefining a shut-off domain of the same name).
     */
    static String withRuntimeParts(String xml, boolean hasSerial, boolean hasAgent, String uuid) {
        List<String> add = new ArrayList<>();
        if (!hasSerial) {
            add.add(CONSOLE);
        }
        if (!hasAgent) {
            add.add(AGENT);
        }
        String out = xml;
        int end = out.lastIndexOf("</devices>");
        if (end < 0) {
            throw new IllegalStateException("exported domain XML has no </devices>");
        }
        out = out.substring(0, end) + String.join("", add) + out.substring(end);
        if (uuid != null && !out.contains("<uuid>")) {
            int name = out.indexOf("</name>");
            out = out.substring(0, name + "</name>".length()) + "<uuid>" + uuid + "</uuid>"
                    + out.substring(name + "</name>".length());
        }
        return out;
    }

    /** The domain name of a domain XML document (its root's {@code <name>}). */
    static String name(String xml) {
        try {
            javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            org.w3c.dom.Element root = f.newDocumentBuilder()
                    .parse(new org.xml.sax.InputSource(new java.io.StringReader(xml))).getDocumentElement();
            for (org.w3c.dom.Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof org.w3c.dom.Element e && e.getTagName().equals("name")) {
                    return e.getTextContent().strip();
                }
            }
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException | java.io.IOException e) {
            throw new IllegalArgumentException("domain XML does not parse: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("domain XML has no <name>");
    }
}

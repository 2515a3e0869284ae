package io.kvmj.core.libvirt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Reads a DOM while remembering which elements and attributes were used, so that everything else can be listed
 * ({@link #unused(Element)}) instead of being dropped silently.
 */
final class Seen {
    private final Set<Node> used = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Marks {@code e} (not its children or attributes) as used. */
    Element use(Element e) {
        if (e != null) {
            used.add(e);
        }
        return e;
    }

    /** Marks {@code e} and everything below it as used. */
    void useAll(Element e) {
        if (e == null) {
            return;
        }
        used.add(e);
        NamedNodeMap a = e.getAttributes();
        for (int i = 0; i < a.getLength(); i++) {
            used.add(a.item(i));
        }
        for (Element c : children(e)) {
            useAll(c);
        }
    }

    /** The first child element named {@code name}, marked used; null when absent. */
    Element child(Element parent, String name) {
        for (Element c : children(parent)) {
            if (c.getLocalName().equals(name)) {
                return use(c);
            }
        }
        return null;
    }

    /** Every child element named {@code name}, marked used. */
    List<Element> all(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Element c : children(parent)) {
            if (c.getLocalName().equals(name)) {
                out.add(use(c));
            }
        }
        return out;
    }

    /** The attribute value, marked used; null when absent. */
    String attr(Element e, String name) {
        if (e == null) {
            return null;
        }
        Attr a = e.getAttributeNode(name);
        if (a == null) {
            return null;
        }
        used.add(a);
        return a.getValue();
    }

    /** The trimmed text of child {@code name}, marked used; null when absent. */
    String text(Element parent, String name) {
        Element c = child(parent, name);
        return c == null ? null : c.getTextContent().trim();
    }

    static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                out.add(c);
            }
        }
        return out;
    }

    /** What below {@code root} was not used: unused elements (whole) and unused attributes of used elements. */
    List<LibvirtNote> unused(Element root) {
        List<LibvirtNote> out = new ArrayList<>();
        walk(root, "", out);
        return out;
    }

    private void walk(Element e, String parentPath, List<LibvirtNote> out) {
        String path = parentPath + "/" + label(e);
        if (!used.contains(e)) {
            out.add(new LibvirtNote(path, "not imported (kvmj has no such setting)"));
            return;
        }
        NamedNodeMap a = e.getAttributes();
        for (int i = 0; i < a.getLength(); i++) {
            Attr at = (Attr) a.item(i);
            if (!used.contains(at) && !at.getName().startsWith("xmlns")) {
                out.add(new LibvirtNote(path + "/@" + at.getName(), "'" + at.getValue() + "' not imported (kvmj has no such setting)"));
            }
        }
        for (Element c : children(e)) {
            walk(c, path, out);
        }
    }

    private static String label(Element e) {
        String n = e.getNodeName();
        for (String key : new String[] {"type", "model", "device", "name"}) {
            String v = e.getAttribute(key);
            if (!v.isEmpty()) {
                return n + "[@" + key + "='" + v + "']";
            }
        }
        return n;
    }
}

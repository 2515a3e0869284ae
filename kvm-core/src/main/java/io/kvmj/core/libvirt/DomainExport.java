package io.kvmj.core.libvirt;

import java.util.List;

/**
 * A spec exported to libvirt: the domain XML and what libvirt will not do as kvmj would (each also kept in the
 * document's kvmj metadata, so importing the XML gives the spec back).
 *
 * @param xml   the {@code <domain>} document
 * @param notes what the domain does not carry out, one per field
 */
public record DomainExport(String xml, List<LibvirtNote> notes) {
    public DomainExport { notes = List.copyOf(notes); }
}

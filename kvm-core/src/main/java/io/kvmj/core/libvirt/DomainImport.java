package io.kvmj.core.libvirt;

import io.kvmj.core.model.GuestSpec;
import java.util.List;

/**
 * A domain imported from libvirt: the spec and every element or attribute that was not imported (unknown to kvmj,
 * or with no kvmj form), with its XML path.
 *
 * @param spec       the guest spec
 * @param notImported what was left out, in document order
 */
public record DomainImport(GuestSpec spec, List<LibvirtNote> notImported) {
    public DomainImport { notImported = List.copyOf(notImported); }
}

package io.kvmj.core.libvirt;

import java.util.List;

/** A spec that libvirt cannot run as kvmj would, or domain XML that kvmj cannot model; {@link #refusals()} lists why. */
public class LibvirtRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<LibvirtNote> refusals;

    public LibvirtRefusedException(List<LibvirtNote> refusals) {
        super(refusals.size() == 1 ? refusals.get(0).toString()
                : refusals.size() + " refusals: " + String.join("; ", refusals.stream().map(LibvirtNote::toString).toList()));
        this.refusals = List.copyOf(refusals);
    }

    /** Every reason, in document order. */
    public List<LibvirtNote> refusals() { return refusals; }
}

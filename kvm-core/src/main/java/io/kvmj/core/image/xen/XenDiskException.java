package io.kvmj.core.image.xen;

/** A Xen disk specification kvmj cannot translate; the message names the entry and the offending part. */
public class XenDiskException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String spec;

    public XenDiskException(String spec, String problem) {
        super(problem + " in Xen disk '" + spec + "'");
        this.spec = spec;
    }

    /** The entry that failed. */
    public String spec() {
        return spec;
    }
}

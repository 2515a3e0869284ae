package io.kvmj.core.libvirt;

/**
 * One thing a conversion between a kvmj spec and libvirt domain XML could not carry over as it is.
 *
 * @param where  the spec field (export) or the XML path (import), e.g. {@code nics[net0].hostfwd} or
 *               {@code /domain/devices/sound}
 * @param what   what happens to it, one line
 */
public record LibvirtNote(String where, String what) {
    @Override
    public String toString() { return where + ": " + what; }
}

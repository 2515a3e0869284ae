package io.kvmj.launcher.backend;

import java.util.List;

/**
 * One {@code <disk>} of a libvirt domain's live XML: what {@code kvmj --connect URI disk list} shows.
 *
 * @param target   the guest-side name ({@code <target dev>}, e.g. {@code vda}): the DRIVE of {@code disk snapshot}
 * @param device   {@code disk}, {@code cdrom} or {@code floppy}
 * @param bus      {@code <target bus>} ({@code virtio}, {@code sata}, ...), or null
 * @param alias    libvirt's QEMU device id ({@code <alias name>}), or null when the domain is not running
 * @param cache    {@code <driver cache>}, or null for QEMU's default
 * @param readOnly {@code <readonly/>}
 * @param chain    the active layer first, then its backing files ({@code <source>} and {@code <driver type>} or
 *                 {@code <format type>}; no node names: libvirt names its nodes itself); empty when no medium is
 *                 inserted
 */
public record LibvirtDisk(String target, String device, String bus, String alias, String cache, boolean readOnly,
                          List<BackendDisk.Layer> chain) {
    public LibvirtDisk {
        chain = List.copyOf(chain);
    }

    /** Whether a medium is inserted ({@link BackendDisk#inserted()}). */
    public boolean inserted() {
        return toBackendDisk().inserted();
    }

    /** The active layer's file, or null when empty ({@link BackendDisk#file()}). */
    public String file() {
        return toBackendDisk().file();
    }

    /** The active layer's format, or null when empty ({@link BackendDisk#format()}). */
    public String format() {
        return toBackendDisk().format();
    }

    /** As {@link GuestBackend#disks} lists it. */
    public BackendDisk toBackendDisk() {
        return new BackendDisk(target, readOnly, chain);
    }
}

package io.kvmj.launcher.backend;

import java.util.List;

/**
 * One disk of a running guest as {@link GuestBackend#disks} lists it, the same on both backends: what {@code kvmj disk
 * list} shows (local: {@link io.kvmj.launcher.storage.DriveInfo}; libvirt: {@link LibvirtDisk}).
 *
 * @param drive    the name {@code disk snapshot|commit} take: the local drive id ({@code disk0}) or libvirt's target
 *                 dev ({@code vda})
 * @param readOnly the guest cannot write it
 * @param chain    the active layer first, then its backing images; empty when no medium is inserted
 */
public record BackendDisk(String drive, boolean readOnly, List<Layer> chain) {
    public BackendDisk {
        chain = List.copyOf(chain);
    }

    /**
     * One image of the chain.
     *
     * @param file   its file (a path on the guest's host)
     * @param format its format ({@code qcow2}, {@code raw}), or null when not known
     * @param node   QEMU's block node name (local backend), or null (libvirt names its nodes itself)
     */
    public record Layer(String file, String format, String node) {
    }

    /** Whether a medium is inserted. */
    public boolean inserted() {
        return !chain.isEmpty();
    }

    /** The active layer's file, or null when empty. */
    public String file() {
        return chain.isEmpty() ? null : chain.get(0).file();
    }

    /** The active layer's format, or null when empty. */
    public String format() {
        return chain.isEmpty() ? null : chain.get(0).format();
    }

    /** Its backing files, active layer excluded. */
    public List<String> backingFiles() {
        return chain.stream().skip(1).map(Layer::file).toList();
    }
}

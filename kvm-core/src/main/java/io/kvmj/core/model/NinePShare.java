package io.kvmj.core.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host directory shared over virtio-9p ({@code -fsdev local} + {@code -device virtio-9p-pci,mount_tag=}).
 * The mount tag is limited to 31 bytes by QEMU. {@link #mountCommand()} and {@link #fstabLine()} give the guest side.
 */
public record NinePShare(String tag, Path path, SecurityModel securityModel, boolean readOnly, boolean multidevsRemap) {
    /** Longest mount tag QEMU accepts, in bytes. */
    public static final int MAX_TAG_BYTES = 31;

    /** Guest kernel modules needed when 9p is modular (Debian kernels), in load order. */
    public static final java.util.List<String> GUEST_MODULES = java.util.List.of("netfs", "fscache", "9pnet", "9pnet_virtio", "9p");

    public NinePShare {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(path, "path");
        securityModel = securityModel == null ? SecurityModel.MAPPED_XATTR : securityModel;
        int bytes = tag.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_TAG_BYTES) {
            throw new InvalidSpecException("shares[" + tag + "].mount_tag", tag,
                    "mount tag must be 1.." + MAX_TAG_BYTES + " bytes, is " + bytes);
        }
        if (!tag.matches("[A-Za-z0-9_.-]+")) {
            throw new InvalidSpecException("shares[" + tag + "].mount_tag", tag,
                    "use letters, digits, '_', '.', '-' (the tag is also the fsdev id and a guest mount source)");
        }
    }

    /** Read-write share with the default mapped-xattr model and multidevs=remap. */
    public static NinePShare of(String tag, Path path) { return new NinePShare(tag, path, SecurityModel.MAPPED_XATTR, false, true); }

    public NinePShare readOnly(boolean ro) { return new NinePShare(tag, path, securityModel, ro, multidevsRemap); }

    public NinePShare securityModel(SecurityModel m) { return new NinePShare(tag, path, m, readOnly, multidevsRemap); }

    public NinePShare multidevsRemap(boolean on) { return new NinePShare(tag, path, securityModel, readOnly, on); }

    /** Guest mount point used by the helpers: {@code /mnt/TAG}. */
    public String guestMountPoint() { return "/mnt/" + tag; }

    /** {@code mount -t 9p -o trans=virtio,version=9p2000.L TAG /mnt/TAG} (plus {@code ,ro} when read-only). */
    public String mountCommand() {
        return "mount -t 9p -o " + mountOptions() + " " + tag + " " + guestMountPoint();
    }

    /** {@code TAG /mnt/TAG 9p trans=virtio,version=9p2000.L,nofail 0 0}. */
    public String fstabLine() {
        return tag + " " + guestMountPoint() + " 9p " + mountOptions() + ",nofail 0 0";
    }

    /** The guest's {@code -o} mount options: {@code trans=virtio,version=9p2000.L} (plus {@code ,ro} when read-only). */
    public String mountOptions() { return "trans=virtio,version=9p2000.L" + (readOnly ? ",ro" : ""); }
}

package io.kvmj.launcher.osimage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * The cached base disk: which packages it has and its cache key. The key is the release, the sorted package set
 * and {@link #LAYOUT_VERSION} (bumped whenever the builder lays the disk out or configures the guest differently),
 * so a changed builder never reuses a stale base.
 */
public final class DebianBase {
    /** Version of the disk layout and guest configuration this builder produces. */
    public static final int LAYOUT_VERSION = 3;

    /**
     * Packages of every image (on top of mmdebstrap's minbase variant): systemd as init with udev and dbus (so
     * systemd-logind handles the ACPI power button), the cloud kernel, the guest agent, sshd, cloud-init with
     * growpart (cloud-guest-utils, fdisk) and resize2fs (e2fsprogs), ifupdown with a DHCP client.
     */
    public static final List<String> PACKAGES = List.of(
        "systemd-sysv", "udev", "dbus", "linux-image-cloud-amd64", "qemu-guest-agent", "openssh-server",
        "cloud-init", "cloud-guest-utils", "fdisk", "e2fsprogs", "ifupdown", "isc-dhcp-client", "netbase",
        "iproute2", "ca-certificates", "less", "procps");

    private DebianBase() {}

    /**
     * The cache key, e.g. {@code debian-12-3f2a…}: release name plus the first 16 hex digits of
     * SHA-256(release, sorted unique packages, layout version).
     */
    public static String cacheKey(DebianRelease release, List<String> packages) {
        TreeSet<String> sorted = new TreeSet<>(packages);
        String material = "release=" + release.osName() + "\nsuite=" + release.suite() + "\npackages="
            + String.join(",", sorted) + "\nlayout=" + LAYOUT_VERSION + "\n";
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return release.osName() + "-" + HexFormat.of().formatHex(d).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

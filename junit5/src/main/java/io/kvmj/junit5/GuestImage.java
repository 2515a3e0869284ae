package io.kvmj.junit5;

/** The built-in guests {@link KvmjGuest#image()} can boot. */
public enum GuestImage {
    /**
     * The kvmj demo kernel (the host's or a cached Debian kernel) with a busybox initramfs whose /init loads the
     * virtio modules and runs a root shell on the serial console (use {@link GuestShell}). No disk, no network.
     * About 10 s to boot under TCG.
     */
    DEMO,
    /**
     * Debian 12 from the kvmj image cache (built once by {@code io.kvmj.launcher.osimage}, minutes, needs root),
     * booted from a qcow2 overlay with a cloud-init seed (hostname = guest name, root password
     * {@link Debian12Image#ROOT_PASSWORD}), ready at the serial login prompt. Needs a kvmj launcher with the
     * {@code io.kvmj.launcher.osimage} package.
     */
    DEBIAN_12
}

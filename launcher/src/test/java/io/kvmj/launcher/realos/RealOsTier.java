package io.kvmj.launcher.realos;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.launcher.osimage.BuildListener;
import io.kvmj.launcher.osimage.DebianImageBuilder;
import io.kvmj.launcher.osimage.DebianRelease;
import io.kvmj.launcher.osimage.ImageBuildSpec;
import io.kvmj.launcher.osimage.RootPassword;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one Debian 12 image of the real-OS test tier. Every IT that boots Debian builds its disk here, so the whole
 * tier shares one cached base (a new package set would mean a second mmdebstrap run: minutes on a fresh machine).
 *
 * <pre>{@code
 * Path disk = RealOsTier.image(dir.resolve("root.qcow2"), "deb-host", "kvmj-it");
 * }</pre>
 */
public final class RealOsTier {
    /**
     * Packages on top of the image builder's defaults, for the whole tier: the NAS test's mdadm and Samba, and
     * Debian's generic kernel next to the cloud one (linux-image-cloud-amd64 is built without 9p, CONFIG_NET_9P
     * unset; NasRaidIT boots the generic one to mount the host folder).
     */
    public static final List<String> EXTRA_PACKAGES = List.of("linux-image-amd64", "mdadm", "samba");

    /**
     * Run in every tier image: boot the cloud kernel (the generic one, installed for the NAS test's 9p, would
     * otherwise be /vmlinuz, as the last kernel installed: its initramfs is twice the size and its boot ~12 s longer
     * under TCG), and leave off what no test needs at boot (Samba, enabled by the test that serves it; e2scrub_reap,
     * ~20 s of CPU per TCG boot). And give devices 10 min instead of systemd's 90 s to show up: on a host loaded
     * enough that udev's coldplug of a TCG guest ran past 90 s, the serial getty failed on {@code dev-ttyS0.device}
     * and the console never showed its login prompt.
     */
    public static final List<String> RUN_COMMANDS = List.of(
            "k=$(cd /boot && ls vmlinuz-*-cloud-amd64 | sort -V | tail -n 1); v=${k#vmlinuz-}; "
                    + "ln -sfn boot/vmlinuz-$v /vmlinuz && ln -sfn boot/initrd.img-$v /initrd.img",
            "systemctl disable --quiet smbd nmbd samba-ad-dc e2scrub_reap",
            "mkdir -p /etc/systemd/system.conf.d && printf '[Manager]\\nDefaultDeviceTimeoutSec=600\\n' "
                    + "> /etc/systemd/system.conf.d/90-kvmj-tier.conf");

    /** The root password of every tier image. */
    public static final String ROOT_PASSWORD = "kvmj-it";

    private RealOsTier() {}

    /** A 6 GiB qcow2 Debian 12 disk at {@code disk} with {@code hostname}, from the tier's cached base. */
    public static Path image(Path disk, String hostname) throws IOException {
        ImageBuildSpec.Builder b = ImageBuildSpec.builder(DebianRelease.DEBIAN_12, disk).format(ImageFormat.QCOW2)
                .size(ByteSize.ofGiB(6)).install(EXTRA_PACKAGES).hostname(hostname)
                .rootPassword(RootPassword.of(ROOT_PASSWORD));
        RUN_COMMANDS.forEach(b::runCommand);
        DebianImageBuilder.create().build(b.build(), BuildListener.NONE);
        return disk;
    }
}

package io.kvmj.launcher.osimage;

import java.util.UUID;

/**
 * The configuration files the builder writes into the guest: GRUB on the serial console, fstab by UUID, ifupdown
 * reading cloud-init's rendered network, cloud-init limited to NoCloud (falling back to None, so first-boot modules
 * like growpart run without a seed), apt sources.
 */
final class GuestConfig {
    /** Kernel command line: predictable {@code eth0}, serial console last so it is /dev/console. */
    static final String KERNEL_CONSOLE = "net.ifnames=0 console=tty0 console=ttyS0,115200";

    private GuestConfig() {}

    /** {@code /boot/grub/grub.cfg}: the kernel via Debian's /vmlinuz and /initrd.img symlinks (kept by kernel upgrades). */
    static String grubCfg(DebianRelease release, UUID rootUuid) {
        return "serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1\n"
            + "terminal_input serial console\n"
            + "terminal_output serial console\n"
            + "set timeout=1\n"
            + "set default=0\n"
            + "menuentry '" + release.prettyName() + "' {\n"
            + "  insmod part_msdos\n"
            + "  insmod ext2\n"
            + "  search --no-floppy --fs-uuid --set=root " + rootUuid + "\n"
            + "  linux /vmlinuz root=UUID=" + rootUuid + " ro " + KERNEL_CONSOLE + "\n"
            + "  initrd /initrd.img\n"
            + "}\n";
    }

    /** {@code /etc/fstab}. */
    static String fstab(UUID rootUuid) {
        return "# <file system> <mount point> <type> <options> <dump> <pass>\n"
            + "UUID=" + rootUuid + " / ext4 errors=remount-ro 0 1\n";
    }

    /** {@code /etc/hosts} for {@code hostname}. */
    static String hosts(String hostname) {
        String shortName = hostname.contains(".") ? hostname.substring(0, hostname.indexOf('.')) : hostname;
        return "127.0.0.1\tlocalhost\n"
            + "127.0.1.1\t" + (shortName.equals(hostname) ? hostname : hostname + "\t" + shortName) + "\n\n"
            + "::1\tlocalhost ip6-localhost ip6-loopback\n"
            + "ff02::1\tip6-allnodes\n"
            + "ff02::2\tip6-allrouters\n";
    }

    /** {@code /etc/network/interfaces}: loopback; cloud-init renders eth0 (DHCP by default) into interfaces.d. */
    static String interfaces() {
        return "# The loopback network interface; cloud-init writes the NICs to interfaces.d/50-cloud-init\n"
            + "# (DHCP on the first NIC unless a NoCloud seed gives a network-config).\n"
            + "auto lo\n"
            + "iface lo inet loopback\n\n"
            + "source /etc/network/interfaces.d/*\n";
    }

    /** {@code /etc/cloud/cloud.cfg.d/90_kvmj.cfg}. */
    static String cloudCfg() {
        return "# kvmj img build: NoCloud seed (cidata ISO) if attached, else the None datasource\n"
            + "datasource_list: [ NoCloud, None ]\n"
            + "# keys injected with --ssh-inject root:... must work\n"
            + "disable_root: false\n"
            + "# the image has no 'locales' package; C.UTF-8 is built into libc\n"
            + "locale: C.UTF-8\n"
            + "# host keys are made anew per instance; no RSA key: generating one takes ~40 s of a TCG boot\n"
            + "ssh_genkeytypes: [ ed25519, ecdsa ]\n";
    }

    /** {@code /etc/cloud/ds-identify.cfg}: run cloud-init even when no seed is found (growpart, host keys). */
    static String dsIdentifyCfg() {
        return "policy: search,found=all,maybe=all,notfound=enabled\n";
    }

    /** {@code /etc/apt/sources.list}. */
    static String sourcesList(DebianRelease release, String mirror) {
        String s = release.suite();
        return "deb " + mirror + " " + s + " main\n"
            + "deb " + mirror + " " + s + "-updates main\n"
            + "deb http://security.debian.org/debian-security " + s + "-security main\n";
    }
}

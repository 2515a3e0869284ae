package io.kvmj.launcher.osimage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Builds the cached base disk from scratch (the slow part, minutes): mmdebstrap installs the packages into a
 * directory, the builder writes the guest configuration ({@link GuestConfig}), then lays out a raw disk: an MBR
 * with one bootable Linux partition at 1 MiB, an ext4 filesystem filled with {@code mkfs.ext4 -d} (no mount), and
 * GRUB for BIOS installed by the host's grub-install on a loop device. Needs root (mmdebstrap's root mode,
 * chroot, losetup, mount).
 */
final class BaseImageBuilder {
    static final long MIB = 1024L * 1024;
    /** The root partition starts at 1 MiB (sector 2048); GRUB's core image lives in the gap before it. */
    static final long PARTITION_OFFSET = MIB;
    static final String FS_LABEL = "kvmj-root";

    private final DebianRelease release;
    private final List<String> packages;
    private final String mirror;
    private final Path workDir;
    private final BuildCleanup cleanup;
    private final Phases phases;

    BaseImageBuilder(DebianRelease release, List<String> packages, String mirror, Path workDir, BuildCleanup cleanup,
                     Phases phases) {
        this.release = release;
        this.packages = List.copyOf(packages);
        this.mirror = mirror;
        this.workDir = workDir;
        this.cleanup = cleanup;
        this.phases = phases;
    }

    /** The filesystem size for {@code usedBytes} of files: 25 % + 256 MiB of headroom, in 64 MiB steps. */
    static long filesystemBytes(long usedBytes) {
        long want = usedBytes + usedBytes / 4 + 256 * MIB;
        long step = 64 * MIB;
        return (want + step - 1) / step * step;
    }

    /** Builds {@code entry/base.raw} and {@code entry/base.json}. */
    BaseManifest build(Path entry) throws IOException {
        Path rootfs = workDir.resolve("rootfs");
        phases.run("installing " + packages.size() + " packages with mmdebstrap (" + release.suite() + ")", () -> {
            List<String> argv = new ArrayList<>(List.of("mmdebstrap", "--mode=root", "--variant=minbase",
                "--include=" + String.join(",", packages),
                "--dpkgopt=path-exclude=/usr/share/man/*", "--dpkgopt=path-exclude=/usr/share/locale/*",
                "--dpkgopt=path-include=/usr/share/locale/locale.alias",
                release.suite(), rootfs.toString(), mirror));
            HostCommand.run(argv, Duration.ofMinutes(40));
        });
        UUID uuid = UUID.randomUUID();
        String kernel = phases.call("configuring the guest", () -> configure(rootfs, uuid));
        long used = duBytes(rootfs);
        long fsBytes = filesystemBytes(used);
        long diskBytes = PARTITION_OFFSET + fsBytes;
        Path disk = entry.resolve(BaseManifest.DISK);
        phases.run("writing the disk (MBR, ext4 " + fsBytes / MIB + " MiB)", () -> {
            try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
                f.setLength(diskBytes);
            }
            HostCommand.run(List.of("sfdisk", "--quiet", "--no-reread", "--no-tell-kernel", disk.toString()),
                "label: dos\nstart=" + PARTITION_OFFSET / 512 + ", type=83, bootable\n", Duration.ofMinutes(1));
            HostCommand.run(List.of("mkfs.ext4", "-q", "-F", "-L", FS_LABEL, "-U", uuid.toString(), "-d", rootfs.toString(),
                "-E", "offset=" + PARTITION_OFFSET, disk.toString(), fsBytes / 1024 + "k"), Duration.ofMinutes(20));
        });
        phases.run("installing GRUB (BIOS, serial console)", () -> installGrub(disk, fsBytes));
        BaseManifest m = new BaseManifest(release.osName(), packages, DebianBase.LAYOUT_VERSION, uuid, diskBytes, used,
            PARTITION_OFFSET, kernel, Instant.now().toString());
        m.write(entry);
        return m;
    }

    /** Writes the guest configuration into {@code rootfs}; returns the kernel's file name. */
    private String configure(Path rootfs, UUID uuid) throws IOException {
        Path vmlinuz = rootfs.resolve("vmlinuz");
        Path initrd = rootfs.resolve("initrd.img");
        if (!Files.exists(vmlinuz) || !Files.exists(initrd)) {
            throw new ImageBuildException("the installed system has no /vmlinuz or /initrd.img (kernel not installed?)");
        }
        String kernel = Files.readSymbolicLink(vmlinuz).getFileName().toString();
        write(rootfs, "etc/fstab", GuestConfig.fstab(uuid));
        write(rootfs, "etc/hostname", ImageBuildSpec.DEFAULT_HOSTNAME + "\n");
        write(rootfs, "etc/hosts", GuestConfig.hosts(ImageBuildSpec.DEFAULT_HOSTNAME));
        write(rootfs, "etc/network/interfaces", GuestConfig.interfaces());
        Files.createDirectories(rootfs.resolve("etc/network/interfaces.d"));
        write(rootfs, "etc/cloud/cloud.cfg.d/90_kvmj.cfg", GuestConfig.cloudCfg());
        write(rootfs, "etc/cloud/ds-identify.cfg", GuestConfig.dsIdentifyCfg());
        write(rootfs, "etc/apt/sources.list", GuestConfig.sourcesList(release, mirror));
        write(rootfs, "boot/grub/grub.cfg", GuestConfig.grubCfg(release, uuid));
        // per-image identity: host keys are made per build (ImageCustomizer), machine-id at first boot
        try (Stream<Path> s = Files.list(rootfs.resolve("etc/ssh"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith("ssh_host_")) {
                    Files.delete(p);
                }
            }
        }
        write(rootfs, "etc/machine-id", "");
        Files.deleteIfExists(rootfs.resolve("var/lib/dbus/machine-id"));
        HostCommand.run(List.of("chroot", rootfs.toString(), "systemctl", "enable", "serial-getty@ttyS0.service"),
            Duration.ofMinutes(2));
        return kernel;
    }

    private void installGrub(Path disk, long fsBytes) {
        Path mnt = workDir.resolve("mnt");
        try {
            Files.createDirectories(mnt);
        } catch (IOException e) {
            throw new ImageBuildException("cannot create " + mnt + ": " + e.getMessage(), e);
        }
        String whole = LoopDevice.attach(disk, 0, 0, cleanup);
        String part = LoopDevice.attach(disk, PARTITION_OFFSET, fsBytes, cleanup);
        LoopDevice.mount(part, mnt, cleanup);
        HostCommand.run(List.of("grub-install", "--target=i386-pc", "--boot-directory=" + mnt.resolve("boot"),
            "--modules=part_msdos ext2 search_fs_uuid", "--no-floppy", whole), Duration.ofMinutes(5));
        cleanup.runLast(); // umount
        cleanup.runLast(); // partition loop
        cleanup.runLast(); // whole-disk loop
    }

    private static void write(Path rootfs, String rel, String content) throws IOException {
        Path p = rootfs.resolve(rel);
        Files.createDirectories(p.getParent());
        if (Files.isSymbolicLink(p)) {
            Files.delete(p);
        }
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }

    /** Apparent bytes of the files under {@code dir} ({@code du -sb}, staying on its filesystem). */
    static long duBytes(Path dir) {
        String out = HostCommand.run(List.of("du", "-sb", "--one-file-system", dir.toString()), Duration.ofMinutes(5));
        return Long.parseLong(out.strip().split("\\s+")[0]);
    }
}

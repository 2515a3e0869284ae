package io.kvmj.launcher.osimage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Applies the per-build changes to a copy of the base disk, through a loop mount of its root partition: hostname,
 * root password, injected ssh keys, fresh ssh host keys (so no two built images share them), then the spec's run
 * commands. Needs root.
 */
final class ImageCustomizer {
    private final Path workDir;
    private final BuildCleanup cleanup;

    ImageCustomizer(Path workDir, BuildCleanup cleanup) {
        this.workDir = workDir;
        this.cleanup = cleanup;
    }

    /**
     * Customizes {@code disk} (raw, laid out as {@code base}).
     *
     * @param password the root password to set, or null to leave root's password locked
     * @return the kernel the image boots ({@code /vmlinuz}'s target), which a run command may have changed
     */
    String customize(Path disk, BaseManifest base, ImageBuildSpec spec, String password) throws IOException {
        Path mnt = workDir.resolve("mnt-" + Long.toHexString(System.nanoTime()));
        Files.createDirectories(mnt);
        cleanup.push(() -> Files.deleteIfExists(mnt));
        String part = LoopDevice.attach(disk, base.partitionOffset(), base.diskBytes() - base.partitionOffset(), cleanup);
        LoopDevice.mount(part, mnt, cleanup);
        write(mnt.resolve("etc/hostname"), spec.hostname() + "\n");
        write(mnt.resolve("etc/hosts"), GuestConfig.hosts(spec.hostname()));
        if (password != null) {
            HostCommand.run(List.of("chpasswd", "--root", mnt.toString()), "root:" + password + "\n", Duration.ofMinutes(1));
        }
        for (SshKeyInjection k : spec.sshKeys()) {
            inject(mnt, k);
        }
        try (Stream<Path> s = Files.list(mnt.resolve("etc/ssh"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith("ssh_host_")) {
                    Files.delete(p);
                }
            }
        }
        HostCommand.run(List.of("chroot", mnt.toString(), "ssh-keygen", "-A"), Duration.ofMinutes(2));
        write(mnt.resolve("etc/machine-id"), "");
        for (String command : spec.runCommands()) {
            HostCommand.run(List.of("chroot", mnt.toString(), "/bin/sh", "-c", command), Duration.ofMinutes(10));
        }
        String kernel = kernel(mnt);
        cleanup.runLast(); // umount
        cleanup.runLast(); // loop
        cleanup.runLast(); // mount point
        return kernel;
    }

    /** The file name {@code /vmlinuz} points to in the image (relative or absolute link, as Debian makes it). */
    private static String kernel(Path mnt) throws IOException {
        Path link = mnt.resolve("vmlinuz");
        if (!Files.isSymbolicLink(link)) {
            throw new ImageBuildException("the image has no /vmlinuz link after customizing (removed by a run command?)");
        }
        Path target = Files.readSymbolicLink(link);
        Path inImage = target.isAbsolute() ? mnt.resolve(target.toString().substring(1)) : mnt.resolve(target);
        if (!Files.isRegularFile(inImage)) {
            throw new ImageBuildException("/vmlinuz points to " + target + ", which is not in the image");
        }
        return target.getFileName().toString();
    }

    private static void inject(Path mnt, SshKeyInjection k) throws IOException {
        String[] entry = passwdEntry(mnt, k.user());
        if (entry == null) {
            throw new IllegalArgumentException("--ssh-inject: user '" + k.user() + "' does not exist in the image"
                + " (the image has root; cloud-init creates its default user at first boot)");
        }
        int uid = Integer.parseInt(entry[2]);
        int gid = Integer.parseInt(entry[3]);
        Path home = mnt.resolve(entry[5].replaceFirst("^/+", ""));
        Path ssh = home.resolve(".ssh");
        if (!ssh.normalize().startsWith(mnt)) {
            throw new ImageBuildException("home of " + k.user() + " lies outside the image: " + entry[5]);
        }
        Files.createDirectories(ssh);
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
        Path keys = ssh.resolve("authorized_keys");
        Files.writeString(keys, k.keyLine() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        for (Path p : List.of(ssh, keys)) {
            Files.setAttribute(p, "unix:uid", uid);
            Files.setAttribute(p, "unix:gid", gid);
        }
    }

    /** The {@code /etc/passwd} fields of {@code user} in the image, or null. */
    private static String[] passwdEntry(Path mnt, String user) throws IOException {
        for (String line : Files.readAllLines(mnt.resolve("etc/passwd"), StandardCharsets.UTF_8)) {
            String[] f = line.split(":", -1);
            if (f.length >= 7 && f[0].equals(user)) {
                return f;
            }
        }
        return null;
    }

    private static void write(Path p, String content) throws IOException {
        if (Files.isSymbolicLink(p)) {
            Files.delete(p);
        }
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }
}

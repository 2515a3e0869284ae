package io.kvmj.launcher.osimage;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What {@link DebianImageBuilder} builds: the release, the output file, its virtual size and format, extra
 * packages (part of the cached base), and the per-build customizations (root password, ssh keys, hostname, and
 * shell commands run in the image as virt-customize's {@code --run-command} does).
 *
 * <pre>{@code
 * ImageBuildSpec spec = ImageBuildSpec.builder(DebianRelease.DEBIAN_12, Path.of("debian.qcow2"))
 *     .size(ByteSize.ofGiB(8)).rootPassword(RootPassword.of("secret"))
 *     .sshInject(SshKeyInjection.parse("root:file:/home/me/.ssh/id_ed25519.pub")).hostname("web1")
 *     .runCommand("systemctl disable e2scrub_reap.service").build();
 * }</pre>
 *
 * @param release       the OS
 * @param output        the image to write (must not exist)
 * @param size          virtual disk size; the root filesystem grows to it at first boot
 * @param format        {@link ImageFormat#QCOW2} or {@link ImageFormat#RAW}
 * @param extraPackages packages installed on top of {@link DebianBase#PACKAGES} (sorted, no duplicates)
 * @param rootPassword  how root's password is set
 * @param sshKeys       keys appended to users' authorized_keys
 * @param hostname      the guest's hostname
 * @param mirror        the Debian mirror for the base build
 * @param runCommands   shell commands run in order with {@code chroot IMAGE /bin/sh -c CMD} after the other
 *                      customizations (offline: no network, no running services; {@code systemctl enable|disable}
 *                      works); the build fails, leaving nothing, when one exits non-zero
 */
public record ImageBuildSpec(DebianRelease release, Path output, ByteSize size, ImageFormat format,
                             List<String> extraPackages, RootPassword rootPassword, List<SshKeyInjection> sshKeys,
                             String hostname, String mirror, List<String> runCommands) {
    /** The default virtual size, 4 GiB. */
    public static final ByteSize DEFAULT_SIZE = ByteSize.ofGiB(4);
    /** The default mirror. */
    public static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";
    /** The default hostname. */
    public static final String DEFAULT_HOSTNAME = "debian";

    private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]+(:[a-z0-9]+)?");
    private static final Pattern HOSTNAME =
        Pattern.compile("(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*");

    public ImageBuildSpec {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(rootPassword, "rootPassword");
        if (format != ImageFormat.QCOW2 && format != ImageFormat.RAW) {
            throw new IllegalArgumentException("--format must be qcow2 or raw, not " + format);
        }
        if (size.bytes() % (1024 * 1024) != 0) {
            throw new IllegalArgumentException("--size must be a whole number of MiB, not " + size.bytes() + " bytes");
        }
        TreeSet<String> pk = new TreeSet<>();
        for (String p : extraPackages) {
            if (!PACKAGE.matcher(p).matches()) {
                throw new IllegalArgumentException("--install: bad package name '" + p + "'");
            }
            pk.add(p);
        }
        extraPackages = List.copyOf(pk);
        sshKeys = List.copyOf(sshKeys);
        if (hostname == null || !HOSTNAME.matcher(hostname).matches()) {
            throw new IllegalArgumentException("--hostname: bad host name '" + hostname + "'");
        }
        hostname = hostname.toLowerCase(Locale.ROOT);
        if (mirror == null || !mirror.matches("(https?|file)://\\S+")) {
            throw new IllegalArgumentException("--mirror must be an http(s):// or file:// URL, not '" + mirror + "'");
        }
        for (String c : runCommands) {
            if (c == null || c.isBlank() || c.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("--run-command: an empty command, or one with a NUL byte");
            }
        }
        runCommands = List.copyOf(runCommands);
    }


    /** A builder for {@code release} written to {@code output}. */
    public static Builder builder(DebianRelease release, Path output) {
        return new Builder(release, output);
    }

    /** The full package set of the base image: {@link DebianBase#PACKAGES} plus {@link #extraPackages}, sorted. */
    public List<String> packages() {
        TreeSet<String> all = new TreeSet<>(DebianBase.PACKAGES);
        all.addAll(extraPackages);
        return List.copyOf(all);
    }

    /** Builder of {@link ImageBuildSpec}; defaults: 4 GiB qcow2, random root password, hostname debian. */
    public static final class Builder {
        private final DebianRelease release;
        private final Path output;
        private ByteSize size = DEFAULT_SIZE;
        private ImageFormat format = ImageFormat.QCOW2;
        private final List<String> extraPackages = new ArrayList<>();
        private RootPassword rootPassword = RootPassword.random();
        private final List<SshKeyInjection> sshKeys = new ArrayList<>();
        private String hostname = DEFAULT_HOSTNAME;
        private String mirror = DEFAULT_MIRROR;
        private final List<String> runCommands = new ArrayList<>();

        private Builder(DebianRelease release, Path output) {
            this.release = release;
            this.output = output;
        }

        public Builder size(ByteSize v) { size = v; return this; }
        public Builder format(ImageFormat v) { format = v; return this; }
        public Builder install(String... packages) { extraPackages.addAll(List.of(packages)); return this; }
        public Builder install(List<String> packages) { extraPackages.addAll(packages); return this; }
        public Builder rootPassword(RootPassword v) { rootPassword = v; return this; }
        public Builder sshInject(SshKeyInjection v) { sshKeys.add(v); return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder mirror(String v) { mirror = v; return this; }
        /** Appends a shell command run inside the image at the end of the customization (repeatable, in order). */
        public Builder runCommand(String v) { runCommands.add(v); return this; }

        public ImageBuildSpec build() {
            return new ImageBuildSpec(release, output, size, format, extraPackages, rootPassword, sshKeys, hostname, mirror,
                runCommands);
        }
    }
}

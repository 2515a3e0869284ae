package io.kvmj.launcher.osimage;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ConvertOptions;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.QemuImg;
import io.kvmj.launcher.demo.KvmjCache;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Builds bootable Debian disk images, like {@code virt-builder debian-12}: BIOS boot through GRUB from the disk
 * alone (no {@code -kernel}), serial console login on ttyS0, qemu-guest-agent, sshd with per-image host keys,
 * cloud-init (NoCloud, growing the root filesystem to the disk at first boot), DHCP on eth0, and an ACPI power
 * button that powers off. The slow part (mmdebstrap plus the disk layout) is cached in the kvmj cache under
 * {@code images/<release>-<hash of packages and layout>}; later builds copy it and customize the copy in seconds.
 * Needs root and the tools listed by {@link HostRequirements#problem(boolean)}.
 *
 * <pre>{@code
 * BuildResult r = DebianImageBuilder.create().build(
 *     ImageBuildSpec.builder(DebianRelease.DEBIAN_12, Path.of("/var/lib/vm/web1.qcow2"))
 *         .size(ByteSize.ofGiB(8)).rootPassword(RootPassword.of("s3cret")).hostname("web1").build(),
 *     BuildListener.NONE);
 * // boot: qemu-system-x86_64 -m 1024 -drive file=/var/lib/vm/web1.qcow2,if=virtio -nographic
 * }</pre>
 *
 * An interrupted or failed build leaves no output and no temporary files, mounts or loop devices (the cache entry
 * is only renamed into place when complete).
 */
public final class DebianImageBuilder {
    private final Path cacheRoot;
    private final QemuImg qemuImg;

    private DebianImageBuilder(Path cacheRoot, QemuImg qemuImg) {
        this.cacheRoot = cacheRoot;
        this.qemuImg = qemuImg;
    }

    /** A builder caching under the kvmj cache ({@code ~/.cache/kvmj/images}), using qemu-img from PATH. */
    public static DebianImageBuilder create() {
        return new DebianImageBuilder(KvmjCache.defaultRoot(System.getenv()).resolve("images"), new QemuImg());
    }

    /** A builder caching under {@code cacheRoot} with the given qemu-img. */
    public static DebianImageBuilder create(Path cacheRoot, QemuImg qemuImg) {
        return new DebianImageBuilder(cacheRoot, qemuImg);
    }

    /** Where the base for {@code release} with {@code packages} is (or would be) cached. */
    public Path cacheEntry(DebianRelease release, List<String> packages) {
        return cacheRoot.resolve(DebianBase.cacheKey(release, packages));
    }

    /**
     * Builds {@code spec.output()}.
     *
     * @throws IllegalArgumentException for bad input (existing output, size below the content, missing tools, not
     *                                  root, no space): nothing was written
     * @throws ImageBuildException      when a step failed; the partial output has been removed
     */
    public BuildResult build(ImageBuildSpec spec, BuildListener listener) throws IOException {
        long t0 = System.nanoTime();
        Path out = spec.output().toAbsolutePath().normalize();
        if (Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(spec.output() + " already exists; refusing to overwrite it");
        }
        Path outDir = out.getParent();
        if (!Files.isDirectory(outDir) || !Files.isWritable(outDir)) {
            throw new IllegalArgumentException("cannot write to " + outDir + " (not a writable directory)");
        }
        for (SshKeyInjection k : spec.sshKeys()) {
            k.keyLine();
        }
        String password = spec.rootPassword().resolve();
        Phases phases = new Phases(listener);
        try (BuildCleanup cleanup = new BuildCleanup()) {
            CachedBase base = ensureBase(spec.release(), spec.packages(), spec.mirror(), cleanup, phases);
            BaseManifest m = base.manifest();
            if (spec.size().bytes() < m.diskBytes()) {
                throw new IllegalArgumentException("--size " + spec.size().toHuman() + " is smaller than the image's content needs (at least "
                    + m.diskBytes() / BaseImageBuilder.MIB + "M)");
            }
            long need = m.usedBytes() + m.usedBytes() / 5 + 64 * BaseImageBuilder.MIB;
            need = spec.format() == ImageFormat.QCOW2 ? 2 * need : need;
            requireSpace(outDir, need);
            String tag = ".kvmj-build-" + Long.toHexString(System.nanoTime());
            Path tmpRaw = outDir.resolve("." + out.getFileName() + tag + ".raw");
            cleanup.deleteLater(tmpRaw);
            Path work = Files.createDirectories(cacheRoot).resolve(".work" + tag);
            Files.createDirectory(work);
            cleanup.push(() -> BuildCleanup.deleteTree(work));
            phases.run("copying the base disk", () ->
                HostCommand.run(List.of("cp", "--sparse=always", base.disk().toString(), tmpRaw.toString()),
                    Duration.ofMinutes(20)));
            String kernel = phases.call("customizing (hostname, root password, ssh keys, host keys"
                + (spec.runCommands().isEmpty() ? "" : ", " + spec.runCommands().size() + " run command(s)") + ")", () ->
                new ImageCustomizer(work, cleanup).customize(tmpRaw, m, spec, password));
            Path finished;
            if (spec.format() == ImageFormat.RAW) {
                try (RandomAccessFile f = new RandomAccessFile(tmpRaw.toFile(), "rw")) {
                    f.setLength(spec.size().bytes());
                }
                finished = tmpRaw;
            } else {
                Path tmpQcow = outDir.resolve("." + out.getFileName() + tag + ".qcow2");
                cleanup.deleteLater(tmpQcow);
                phases.run("converting to qcow2", () -> {
                    qemuImg.convert(tmpRaw, tmpQcow, ConvertOptions.to(ImageFormat.QCOW2).withSourceFormat(ImageFormat.RAW),
                        null);
                    qemuImg.resize(tmpQcow, spec.size(), false);
                });
                finished = tmpQcow;
            }
            try {
                Files.move(finished, out);
            } catch (FileAlreadyExistsException e) {
                throw new IllegalArgumentException(spec.output() + " appeared during the build; refusing to overwrite it");
            }
            return new BuildResult(out, spec.format().qemuName(), spec.size().bytes(), spec.release().osName(),
                spec.hostname(), spec.rootPassword().kind() == RootPassword.Kind.RANDOM ? password : null,
                base.dir().getFileName().toString(), base.disk(), base.fromCache(), kernel, m.rootUuid().toString(),
                Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    /**
     * The cached base for {@code release} and {@code packages}, built first if missing (minutes; needs root).
     *
     * @throws IllegalArgumentException when root or a tool is missing or there is no space
     */
    public CachedBase ensureBase(DebianRelease release, List<String> packages, String mirror, BuildListener listener)
        throws IOException {
        try (BuildCleanup cleanup = new BuildCleanup()) {
            return ensureBase(release, packages, mirror, cleanup, new Phases(listener));
        }
    }

    private CachedBase ensureBase(DebianRelease release, List<String> packages, String mirror, BuildCleanup cleanup,
                              Phases phases) throws IOException {
        Path entry = cacheEntry(release, packages);
        if (Files.isRegularFile(entry.resolve(BaseManifest.FILE)) && Files.isRegularFile(entry.resolve(BaseManifest.DISK))) {
            String problem = HostRequirements.problem(false);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            phases.listener().info("using the cached base " + entry);
            return new CachedBase(entry, entry.resolve(BaseManifest.DISK), BaseManifest.read(entry), true);
        }
        String problem = HostRequirements.problem(true);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Files.createDirectories(cacheRoot);
        requireSpace(cacheRoot, 4L * 1024 * BaseImageBuilder.MIB);
        phases.listener().info("building the base " + entry.getFileName() + " (cached for later builds)");
        Path work = cacheRoot.resolve(".work-base-" + Long.toHexString(System.nanoTime()));
        Files.createDirectory(work);
        cleanup.push(() -> BuildCleanup.deleteTree(work));
        KvmjCache.installAtomically(entry, dir -> new BaseImageBuilder(release, packages, mirror, work, cleanup, phases)
            .build(dir));
        cleanup.runLast();
        retireOldLayouts(release);
        return new CachedBase(entry, entry.resolve(BaseManifest.DISK), BaseManifest.read(entry), false);
    }

    /** Deletes cached bases of {@code release} made by an older layout version (they are never used again). */
    private void retireOldLayouts(DebianRelease release) {
        try (var s = Files.list(cacheRoot)) {
            for (Path dir : (Iterable<Path>) s::iterator) {
                if (!dir.getFileName().toString().startsWith(release.osName() + "-")) {
                    continue;
                }
                try {
                    if (BaseManifest.read(dir).layoutVersion() < DebianBase.LAYOUT_VERSION) {
                        BuildCleanup.deleteTree(dir);
                    }
                } catch (IOException | RuntimeException e) {
                    // unreadable manifest or concurrent removal: leave it
                }
            }
        } catch (IOException e) {
            // nothing to retire
        }
    }

    private static void requireSpace(Path dir, long bytes) throws IOException {
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < bytes) {
            throw new IllegalArgumentException("not enough free space in " + dir + ": " + ByteSize.ofBytes(free).toHuman()
                + " free, about " + ByteSize.ofBytes(bytes).toHuman() + " needed");
        }
    }
}

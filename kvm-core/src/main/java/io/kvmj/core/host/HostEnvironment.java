package io.kvmj.core.host;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the argv renderer asks the host: O_DIRECT support of a file's filesystem (probed by really opening it),
 * free hugepages and PCI/IOMMU state. {@code /sys} and {@code /proc} are read through a {@link HostRoot}, as
 * {@link HostProbe} reads them, so tests can use a fake tree ({@link #rootedAt(Path)}):
 *
 * <pre>{@code
 * QemuCommandLine renderer = QemuCommandLine.defaults().withHost(HostEnvironment.rootedAt(fakeTree));
 * }</pre>
 */
public class HostEnvironment {
    private final HostRoot root;
    private final Set<Path> plannedDirectories;
    private final Set<Path> plannedFiles;

    protected HostEnvironment(Path root) { this(new HostRoot(root), Set.of(), Set.of()); }

    private HostEnvironment(HostRoot root, Set<Path> plannedDirectories, Set<Path> plannedFiles) {
        this.root = root;
        this.plannedDirectories = Set.copyOf(plannedDirectories);
        this.plannedFiles = Set.copyOf(plannedFiles);
    }

    /**
     * This host, where {@code dir} counts as an existing directory although it is created only right before QEMU
     * starts (the launcher's runtime directory: a dry run renders sockets in it without creating it).
     */
    public HostEnvironment withPlannedDirectory(Path dir) {
        Set<Path> dirs = new HashSet<>(plannedDirectories);
        dirs.add(dir.toAbsolutePath().normalize());
        return new HostEnvironment(root, dirs, plannedFiles);
    }

    /**
     * This host, where {@code file} counts as existing although it is created only right before QEMU starts (an image
     * {@code kvmj run --disk FILE,size=N} creates; a dry run renders it without creating it).
     */
    public HostEnvironment withPlannedFile(Path file) {
        Set<Path> files = new HashSet<>(plannedFiles);
        files.add(file.toAbsolutePath().normalize());
        return new HostEnvironment(root, plannedDirectories, files);
    }

    /** True when {@code file} exists or is planned with {@link #withPlannedFile(Path)}. */
    public boolean exists(Path file) {
        return plannedFiles.contains(file.toAbsolutePath().normalize()) || Files.exists(file);
    }

    /** True when {@code dir} is an existing directory or one planned with {@link #withPlannedDirectory(Path)}. */
    public boolean isDirectory(Path dir) {
        return plannedDirectories.contains(dir.toAbsolutePath().normalize()) || Files.isDirectory(dir);
    }

    /** The real host ({@code /}). */
    public static HostEnvironment system() { return new HostEnvironment(Path.of("/")); }

    /** Reads {@code sys/...} and {@code proc/...} below {@code root}; O_DIRECT is still probed on the real file. */
    public static HostEnvironment rootedAt(Path root) { return new HostEnvironment(root); }

    /** The directory host files are read below ({@code /} on a real host). */
    public Path root() { return root.root(); }

    /**
     * True when {@code path} (an existing file, or a directory in which a probe file is created and removed) can be
     * opened with O_DIRECT. tmpfs, for example, refuses it with EINVAL.
     */
    public boolean supportsDirectIo(Path path) {
        try {
            if (Files.isDirectory(path)) {
                Path probe = Files.createTempFile(path, ".kvmj-odirect", ".probe");
                try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
                    return ch.isOpen();
                } finally {
                    Files.deleteIfExists(probe);
                }
            }
            OpenOption[] opts = {StandardOpenOption.READ, ExtendedOpenOption.DIRECT};
            try (FileChannel ch = FileChannel.open(path, opts)) {
                return ch.isOpen();
            }
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Free hugepages of the given size (its {@link HugepagePool}); empty if the kernel has no pool of that size. */
    public OptionalLong freeHugepages(long pageSizeKiB) {
        return HugepagePool.read(root).stream().filter(p -> p.sizeKb() == pageSizeKiB)
            .mapToLong(HugepagePool::free).findFirst();
    }

    /** Default hugepage size in KiB from {@code /proc/meminfo} ({@code Hugepagesize}), 2048 if unknown. */
    public long defaultHugepageSizeKiB() {
        for (String l : root.lines("/proc/meminfo")) {
            if (l.startsWith("Hugepagesize:")) {
                try {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        return 2048;
    }

    /** {@code /sys/bus/pci/devices/BDF}. */
    public Path pciDevice(String bdf) { return root.path("/sys/bus/pci/devices").resolve(bdf); }

    /** Name of the driver bound to a PCI function (target of the {@code driver} symlink), if any. */
    public Optional<String> pciDriver(String bdf) {
        Path link = pciDevice(bdf).resolve("driver");
        try {
            if (Files.isSymbolicLink(link)) {
                return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
            }
            if (Files.exists(link)) {
                return Optional.of(link.toRealPath().getFileName().toString());
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** True when the PCI function has an {@code iommu_group} entry. */
    public boolean hasIommuGroup(String bdf) {
        return Files.exists(pciDevice(bdf).resolve("iommu_group"), LinkOption.NOFOLLOW_LINKS);
    }
}

package io.kvmj.launcher.cli;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.CreateOptions;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.QemuImg;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.launcher.LaunchException;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A {@code --disk path=FILE,size=N} whose FILE does not exist yet: created at launch, as virt-install does. As in
 * virt-install, {@code size} is in GiB (decimals allowed: {@code size=0.5}); kvmj also takes a unit
 * ({@code size=64M}). The format is {@code format=} when given, else the file's extension ({@code .raw},
 * {@code .qcow2}), else qcow2 (virt-install's default for new files); only raw and qcow2 are created. When FILE
 * exists, {@code size=} is ignored and the file is used as it is (virt-install does the same).
 *
 * <pre>{@code
 * NewDisk d = NewDisk.of(Path.of("vm.qcow2"), Optional.empty(), Optional.of("10")).orElseThrow(); // 10 GiB qcow2
 * d.create(spec, new QemuImg());   // atomically: a temporary file, then linked to vm.qcow2
 * }</pre>
 */
record NewDisk(Path path, DiskFormat format, ByteSize size) {
    private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

    /**
     * The disk to create for {@code path}, or empty when {@code size} is not given or {@code path} exists.
     *
     * @throws IllegalArgumentException for a bad size, a format that is not created, a missing directory
     */
    static Optional<NewDisk> of(Path path, Optional<String> format, Optional<String> size) {
        if (size.isEmpty() || Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        ByteSize bytes = size(size.get());
        String name = format.map(f -> f.toLowerCase(Locale.ROOT)).orElseGet(() -> {
            String file = path.getFileName().toString().toLowerCase(Locale.ROOT);
            return file.endsWith(".raw") ? "raw" : "qcow2";
        });
        DiskFormat f = switch (name) {
            case "raw" -> DiskFormat.RAW;
            case "qcow2" -> DiskFormat.QCOW2;
            default -> throw new IllegalArgumentException("--disk: size= creates raw or qcow2 images, not format="
                    + name);
        };
        Path dir = path.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--disk: cannot create " + path + ": directory " + dir
                    + " does not exist");
        }
        return Optional.of(new NewDisk(path, f, bytes));
    }

    /** {@code 10} (GiB, as virt-install), {@code 0.5} (GiB), or with a unit: {@code 64M}. */
    static ByteSize size(String text) {
        ByteSize bytes;
        try {
            if (text.matches("\\d+(\\.\\d+)?")) {
                BigDecimal b = new BigDecimal(text).multiply(GIB);
                // qemu-img rounds a size up to whole 512-byte sectors; say the size it will have
                long sectors = b.divide(BigDecimal.valueOf(512), 0, java.math.RoundingMode.CEILING).longValueExact();
                bytes = ByteSize.ofBytes(Math.multiplyExact(sectors, 512L));
            } else {
                bytes = ByteSize.parse(text);
            }
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--disk: size=" + text + " is not a size (GiB as virt-install: 10, "
                    + "0.5; or with a unit: 512M)");
        }
        if (bytes.bytes() <= 0) {
            throw new IllegalArgumentException("--disk: size=" + text + " must be more than 0");
        }
        return bytes;
    }

    /**
     * Creates the image atomically (a temporary file next to it, then linked to its name; refused when the name
     * appeared meanwhile) with {@code qemu-img create}; an interrupt removes the unfinished file.
     */
    void create(CommandSpec spec, QemuImg img) {
        try (AtomicOutput out = AtomicOutput.begin(spec, path)) {
            img.create(out.temp(), CreateOptions.builder(ImageFormat.of(format.driver())).size(size).build());
            out.publish();
        }
    }

    /** The files {@code --disk} options create at launch (they count as existing when planning). */
    static List<Path> paths(List<String> diskOptions) {
        List<Path> paths = new ArrayList<>();
        for (String d : diskOptions) {
            GuestOptionParsers.newDisk(d).ifPresent(n -> paths.add(n.path()));
        }
        return paths;
    }

    /**
     * Creates the images of the {@code --disk ...,size=} options whose files are missing (one stderr line each); on
     * a failure removes those created so far and throws a {@link LaunchException}.
     */
    static List<NewDisk> createAll(List<String> diskOptions, CommandSpec spec, PrintWriter err) {
        List<NewDisk> created = new ArrayList<>();
        try {
            for (String d : diskOptions) {
                Optional<NewDisk> nd = GuestOptionParsers.newDisk(d);
                if (nd.isPresent()) {
                    nd.get().create(spec, new QemuImg());
                    created.add(nd.get());
                    err.println(spec.qualifiedName() + ": created " + nd.get().path() + " (" + nd.get().format().driver()
                            + ", " + nd.get().size().toHuman() + ")");
                    err.flush();
                }
            }
        } catch (RuntimeException e) {
            removeAll(created, err);
            throw new LaunchException("--disk: cannot create the image: " + e.getMessage());
        }
        return created;
    }

    /** Removes images {@link #createAll} made (a start that failed leaves none behind, as virt-install). */
    static void removeAll(List<NewDisk> created, PrintWriter err) {
        for (NewDisk d : created) {
            try {
                Files.deleteIfExists(d.path());
                err.println("kvmj run: removed " + d.path() + ", created for this start");
            } catch (IOException e) {
                err.println("kvmj run: could not remove " + d.path() + ": " + e.getMessage());
            }
        }
        err.flush();
    }
}

package io.kvmj.core.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.kvmj.core.qemu.QemuOpts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A typed wrapper around the {@code qemu-img} binary. Every call builds an argv list (never a shell string),
 * passes image paths as absolute paths (so a colon in a name is never read as a protocol prefix), reads
 * {@code --output=json} with Jackson where qemu-img offers it, and checks the exit code: a failure raises
 * {@link QemuImgException} with argv and stderr, a held image lock raises {@link ImageInUseException}.
 *
 * <p>The binary is taken from the constructor, else system property {@code kvmj.qemu-img}, else
 * environment variable {@code KVMJ_QEMU_IMG}, else {@code qemu-img} on the PATH.
 */
public final class QemuImg {
    /** System property naming the qemu-img binary. */
    public static final String BINARY_PROPERTY = "kvmj.qemu-img";

    private final String binary;

    /** Uses the default binary (see class comment). */
    public QemuImg() {
        this(defaultBinary());
    }

    /** Uses the given qemu-img binary (a path or a name on the PATH). */
    public QemuImg(String binary) {
        this.binary = Objects.requireNonNull(binary, "binary");
    }

    /** The binary chosen when none is given. */
    public static String defaultBinary() {
        String p = System.getProperty(BINARY_PROPERTY);
        if (p != null && !p.isBlank()) {
            return p;
        }
        String e = System.getenv("KVMJ_QEMU_IMG");
        return e != null && !e.isBlank() ? e : "qemu-img";
    }

    /** The binary this wrapper runs. */
    public String binary() {
        return binary;
    }

    /** The first line of {@code qemu-img --version}. */
    public String version() {
        String out = run(argv("--version"), null).stdout();
        return out.lines().findFirst().orElse("").strip();
    }

    /** {@code qemu-img create}. */
    public void create(Path image, CreateOptions opts) {
        run(createArgv(image, opts), null);
    }

    /**
     * {@code qemu-img create}, reporting progress while qemu-img writes a {@link Preallocation#FULL} image
     * (qemu-img itself prints none: the allocated size is polled with {@code info -U}). Other modes
     * report only 100 at the end.
     */
    public void create(Path image, CreateOptions opts, ProgressListener progress) {
        List<String> argv = createArgv(image, opts);
        if (progress == null || opts.preallocation() != Preallocation.FULL || opts.size() == null) {
            run(argv, null);
            if (progress != null) {
                progress.progress(100);
            }
            return;
        }
        CompletableFuture<ProcessRunner.Result> job = CompletableFuture.supplyAsync(() -> ProcessRunner.run(argv, null));
        double last = 0;
        while (true) {
            try {
                check(job.get(250, TimeUnit.MILLISECONDS));
                progress.progress(100);
                return;
            } catch (TimeoutException e) {
                try {
                    Long actual = info(image, true).actualSize();
                    double pct = actual == null ? 0 : Math.min(99.9, 100.0 * actual / opts.size().bytes());
                    if (pct > last) {
                        last = pct;
                        progress.progress(pct);
                    }
                } catch (QemuImgException notYet) {
                    // the file may not exist or have a header yet
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QemuImgException("interrupted while creating " + image, argv, -1, "", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new QemuImgException("create failed: " + e.getCause(), argv, -1, "", e);
            }
        }
    }

    private List<String> createArgv(Path image, CreateOptions opts) {
        List<String> a = argv("create", "-q", "-f", opts.format().qemuName());
        if (opts.backingFile() != null) {
            a.addAll(List.of("-b", opts.backingFile(), "-F", opts.backingFormat().qemuName()));
        }
        List<String> o = new ArrayList<>();
        if (opts.preallocation() != null) {
            o.add("preallocation=" + opts.preallocation().qemuName());
        }
        if (opts.clusterSize() != null) {
            o.add("cluster_size=" + opts.clusterSize().toQemuArg());
        }
        if (opts.lazyRefcounts() != null) {
            o.add("lazy_refcounts=" + (opts.lazyRefcounts() ? "on" : "off"));
        }
        if (opts.compat() != null) {
            o.add("compat=" + QemuOpts.escape("compat", opts.compat()));
        }
        if (!o.isEmpty()) {
            a.addAll(List.of("-o", String.join(",", o)));
        }
        a.add(path(image));
        if (opts.size() != null) {
            a.add(opts.size().toQemuArg());
        }
        return a;
    }

    /** {@code qemu-img info --output=json}; takes QEMU's image lock, so an image in use fails with {@link ImageInUseException}. */
    public ImageInfo info(Path image) {
        return info(image, false);
    }

    /** {@code qemu-img info}; {@code forceShare} adds {@code -U} to read an image another process holds. */
    public ImageInfo info(Path image, boolean forceShare) {
        List<String> a = argv("info", "--output=json");
        if (forceShare) {
            a.add("-U");
        }
        a.add(path(image));
        return parse(run(a, null, image), ImageInfo.class);
    }

    /** {@code qemu-img info --backing-chain}: the image first, then each backing file down to the base. */
    public List<ImageInfo> backingChain(Path image, boolean forceShare) {
        List<String> a = argv("info", "--output=json", "--backing-chain");
        if (forceShare) {
            a.add("-U");
        }
        a.add(path(image));
        ProcessRunner.Result r = run(a, null, image);
        try {
            return List.copyOf(QemuImgJson.MAPPER.readValue(r.stdout(), new TypeReference<List<ImageInfo>>() { }));
        } catch (JsonProcessingException e) {
            throw new QemuImgException("unreadable JSON from qemu-img: " + e.getOriginalMessage(), r.argv(), r.exitCode(), r.stderr(), e);
        }
    }

    /**
     * {@code qemu-img check --output=json}. Corruptions (exit 2) and leaks (exit 3) are results, not
     * exceptions; an image qemu-img cannot check (exit 1) or a format without checks (exit 63, e.g. raw) throws.
     */
    public CheckResult check(Path image, CheckRepair repair) {
        List<String> a = argv("check", "--output=json");
        if (repair == CheckRepair.LEAKS) {
            a.addAll(List.of("-r", "leaks"));
        } else if (repair == CheckRepair.ALL) {
            a.addAll(List.of("-r", "all"));
        }
        a.add(path(image));
        ProcessRunner.Result r = ProcessRunner.run(a, null);
        if (r.exitCode() != 0 && r.exitCode() != 2 && r.exitCode() != 3) {
            throw failure("check failed", r, image);
        }
        return parse(r, CheckResult.class).withExitCode(r.exitCode());
    }

    /** {@code qemu-img measure}: space needed to convert {@code source} to {@code target}. */
    public MeasureResult measure(Path source, ImageFormat target) {
        return parse(run(argv("measure", "--output=json", "-O", target.qemuName(), path(source)), null, source),
            MeasureResult.class);
    }

    /** {@code qemu-img measure --size}: space needed for a new empty image of {@code size}. */
    public MeasureResult measure(ByteSize size, ImageFormat target) {
        return parse(run(argv("measure", "--output=json", "-O", target.qemuName(), "--size", size.toQemuArg()), null),
            MeasureResult.class);
    }

    /**
     * {@code qemu-img resize} to an absolute virtual size. Growing is always allowed; shrinking needs
     * {@code allowShrink} (data beyond the new end is lost) and is refused with a clear message otherwise.
     */
    public void resize(Path image, ByteSize newSize, boolean allowShrink) {
        ImageInfo info = info(image);
        if (newSize.bytes() < info.virtualSize() && !allowShrink) {
            throw new IllegalArgumentException("refusing to shrink " + image + " from " + info.virtualByteSize()
                + " to " + newSize + ": data beyond the new end would be lost (pass the shrink flag to allow it)");
        }
        List<String> a = argv("resize", "-q", "-f", info.format());
        if (allowShrink) {
            a.add("--shrink");
        }
        a.add(path(image));
        a.add(newSize.toQemuArg());
        run(a, null, image);
    }

    /** {@code qemu-img convert -p}, reporting progress to {@code progress} (may be null). */
    public void convert(Path source, Path target, ConvertOptions opts, ProgressListener progress) {
        List<String> a = argv("convert");
        if (progress != null) {
            a.add("-p");
        }
        if (opts.sourceFormat() != null) {
            a.addAll(List.of("-f", opts.sourceFormat().qemuName()));
        }
        a.addAll(List.of("-O", opts.targetFormat().qemuName()));
        if (opts.compress()) {
            a.add("-c");
        }
        if (opts.sparseSize() != null) {
            a.addAll(List.of("-S", opts.sparseSize().toQemuArg()));
        }
        List<String> o = new ArrayList<>();
        if (opts.preallocation() != null) {
            o.add("preallocation=" + opts.preallocation().qemuName());
        }
        if (opts.clusterSize() != null) {
            o.add("cluster_size=" + opts.clusterSize().toQemuArg());
        }
        if (!o.isEmpty()) {
            a.addAll(List.of("-o", String.join(",", o)));
        }
        a.add(path(source));
        a.add(path(target));
        run(a, progress, source);
    }

    /** {@code qemu-img snapshot -c}: creates an internal snapshot (image must not be in use). */
    public void snapshotCreate(Path image, String name) {
        run(argv("snapshot", "-c", requireName(name), path(image)), null, image);
    }

    /** {@code qemu-img snapshot -a}: reverts the image to the snapshot. */
    public void snapshotApply(Path image, String name) {
        run(argv("snapshot", "-a", requireName(name), path(image)), null, image);
    }

    /** {@code qemu-img snapshot -d}: deletes the snapshot. */
    public void snapshotDelete(Path image, String name) {
        run(argv("snapshot", "-d", requireName(name), path(image)), null, image);
    }

    /**
     * The internal snapshots ({@code snapshot -l} has no JSON output, so this reads the same table from
     * {@code info --output=json}).
     */
    public List<SnapshotInfo> snapshots(Path image) {
        return info(image).snapshots();
    }

    /**
     * {@code qemu-img rebase}: points {@code image} at {@code newBacking} (the name as it should be stored;
     * null removes the backing file after copying its data in). {@code unsafe} ({@code -u}) only rewrites the
     * header, for when the data of old and new backing are identical (e.g. a moved base).
     */
    public void rebase(Path image, String newBacking, ImageFormat backingFormat, boolean unsafe, ProgressListener progress) {
        List<String> a = argv("rebase");
        if (progress != null) {
            a.add("-p");
        }
        if (unsafe) {
            a.add("-u");
        }
        if (newBacking == null) {
            a.addAll(List.of("-b", ""));
        } else {
            Objects.requireNonNull(backingFormat, "backing format is required with a backing file");
            a.addAll(List.of("-b", newBacking, "-F", backingFormat.qemuName()));
        }
        a.add(path(image));
        run(a, progress, image);
    }

    /**
     * {@code qemu-img commit}: writes the overlay's data into its backing file. {@code drop} ({@code -d})
     * leaves the overlay untouched instead of emptying it.
     */
    public void commit(Path overlay, boolean drop, ProgressListener progress) {
        List<String> a = argv("commit");
        if (progress != null) {
            a.add("-p");
        }
        if (drop) {
            a.add("-d");
        }
        a.add(path(overlay));
        run(a, progress, overlay);
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("snapshot name must not be empty");
        }
        return name;
    }

    private List<String> argv(String... args) {
        List<String> a = new ArrayList<>();
        a.add(binary);
        a.addAll(List.of(args));
        return a;
    }

    /** Absolute path text: a leading slash keeps QEMU from reading {@code name:...} as a protocol. */
    static String path(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    private ProcessRunner.Result run(List<String> argv, ProgressListener progress) {
        return run(argv, progress, null);
    }

    private ProcessRunner.Result run(List<String> argv, ProgressListener progress, Path image) {
        ProcessRunner.Result r = ProcessRunner.run(argv, progress);
        if (r.exitCode() != 0) {
            throw failure("qemu-img " + argv.get(1) + " failed", r, image);
        }
        return r;
    }

    private static void check(ProcessRunner.Result r) {
        if (r.exitCode() != 0) {
            throw failure("qemu-img " + r.argv().get(1) + " failed", r, null);
        }
    }

    private static QemuImgException failure(String msg, ProcessRunner.Result r, Path image) {
        if (image != null && ImageInUseException.isLockError(r.stderr())) {
            return new ImageInUseException(image, r.argv(), r.exitCode(), r.stderr());
        }
        return new QemuImgException(msg, r.argv(), r.exitCode(), r.stderr());
    }

    private static <T> T parse(ProcessRunner.Result r, Class<T> type) {
        try {
            return QemuImgJson.MAPPER.readValue(r.stdout(), type);
        } catch (JsonProcessingException e) {
            throw new QemuImgException("unreadable JSON from qemu-img: " + e.getOriginalMessage(), r.argv(),
                r.exitCode(), r.stderr(), e);
        }
    }
}

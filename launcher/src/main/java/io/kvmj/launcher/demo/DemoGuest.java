package io.kvmj.launcher.demo;

import io.kvmj.core.model.Accelerator;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The built-in demo guest: a real Linux kernel with a Java-built busybox initramfs that checks a virtio-blk
 * scratch disk and a virtio-9p share, then powers off. The guest is a typed {@code GuestSpec}
 * ({@link PreparedDemo#guestSpec(String)}) started by the launcher. Use {@link #run(DemoOptions)} for a one-shot
 * run, or {@link #prepare(DemoOptions)} + {@link #boot} to inspect or reuse the pieces.
 */
public final class DemoGuest {
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);
    /** Size of the qcow2 scratch disk. */
    public static final String DISK_SIZE = "64M";

    private DemoGuest() {}

    /** Prepares, boots and evaluates the demo guest; the work directory is removed unless kept. */
    public static DemoReport run(DemoOptions options) {
        GuestKernel kernel = KernelLocator.forThisHost().locate(options.kernel());
        try (PreparedDemo d = prepare(kernel, options)) {
            return boot(d, options.timeout(), options.console());
        }
    }

    /** Locates the kernel and prepares all files; the caller closes the result. */
    public static PreparedDemo prepare(DemoOptions options) {
        return prepare(KernelLocator.forThisHost().locate(options.kernel()), options);
    }

    /** Prepares all files around an already located kernel; the caller closes the result. */
    public static PreparedDemo prepare(GuestKernel kernel, DemoOptions options) {
        Path cacheRoot = KvmjCache.defaultRoot(System.getenv());
        BusyboxLocator.Busybox busybox = BusyboxLocator.locate(cacheRoot);
        Path parent = options.workParent() != null ? options.workParent() : Path.of(System.getProperty("java.io.tmpdir"));
        Path work;
        try {
            work = Files.createTempDirectory(Files.createDirectories(parent), "kvmj-demo-");
        } catch (IOException e) {
            throw new DemoException("cannot create a work directory in " + parent + ": " + e.getMessage(), e);
        }
        boolean ok = false;
        try {
            DemoExpectations exp = DemoExpectations.random();
            Path initrd = work.resolve("initrd.img");
            Initramfs.write(initrd, busybox.path(), kernel.modules());
            Path disk = work.resolve("scratch.qcow2");
            ProcessRunner.Result r = ProcessRunner.run(
                List.of("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), DISK_SIZE), null, TOOL_TIMEOUT);
            if (!r.ok()) {
                throw new DemoException("cannot create the scratch disk: " + r.describe());
            }
            Path share = Files.createDirectory(work.resolve("share"));
            Files.writeString(share.resolve(exp.shareFile()), exp.shareContent() + "\n", StandardCharsets.UTF_8);
            PreparedDemo d = new PreparedDemo(work, kernel, busybox, initrd, disk, DiskCacheMode.probe(work), share,
                Accelerator.AUTO, exp, options.keepWorkDir());
            ok = true;
            return d;
        } catch (IOException e) {
            throw new DemoException("cannot prepare the demo guest in " + work + ": " + e.getMessage(), e);
        } finally {
            if (!ok) {
                try {
                    KvmjCache.deleteTree(work);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /**
     * Boots a prepared demo guest once through the launcher ({@link PreparedDemo#guestSpec(String)} under a unique
     * name) and evaluates it. QEMU is always gone when this returns.
     */
    public static DemoReport boot(PreparedDemo d, Duration timeout, Consumer<String> console) {
        try (DemoRun run = start(d, defaultLauncher(), console)) {
            return evaluate(d, run.await(timeout));
        }
    }

    /** Launches the demo guest without waiting for it (tests observe the running guest); the caller closes it. */
    static DemoRun start(PreparedDemo d, Launcher launcher, Consumer<String> console) {
        return DemoRun.start(launcher, d.guestSpec(uniqueName()), d.consoleLog(), console);
    }

    /** The launcher the demo uses: defaults (host-probe accelerator policy), 5 s ACPI shutdown bound. */
    static Launcher defaultLauncher() {
        return Launcher.create(LaunchOptions.defaults().withShutdownTimeout(Duration.ofSeconds(5)));
    }

    /** {@code kvmj-demo-PID-XXXX}: unique per run, so demos in parallel do not collide. */
    static String uniqueName() {
        return "kvmj-demo-" + ProcessHandle.current().pid() + "-"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    static DemoReport evaluate(PreparedDemo d, DemoRun.Outcome out) {
        List<Marker> markers = DemoEvaluator.markers(out.lines());
        List<DemoCheck> checks = new ArrayList<>(DemoEvaluator.consoleChecks(markers, d.expectations()));
        checks.add(2, diskOnHost(d));
        checks.add(4, DemoEvaluator.shareWrite(d.shareDir(), d.expectations()));
        Optional<Marker> start = DemoEvaluator.last(markers, "start");
        boolean done = DemoEvaluator.last(markers, "done").isPresent();
        boolean clean = done && !out.timedOut() && out.exitCode() != null && out.exitCode() == 0;
        String devices = DemoEvaluator.last(markers, "devices")
            .map(m -> "virtio " + m.field("virtio").orElse("?") + "; block " + m.field("block").orElse("?"))
            .orElse("not reported");
        boolean allPass = clean && checks.stream().allMatch(DemoCheck::passed);
        List<String> tail = allPass ? List.of() : out.lines().stream().skip(Math.max(0, out.lines().size() - 25))
            .map(ConsoleLine::text).toList();
        if (!allPass && !out.stderr().isBlank()) {
            tail = new ArrayList<>(tail);
            tail.add("(qemu stderr) " + out.stderr().strip());
        }
        return new DemoReport(out.accelerator().accelerator(), out.accelerator().reason(), d.kernel().describe(),
            d.kernel().modules().note(), d.diskCache().qemuName(), d.diskCache().reason(),
            start.map(Marker::atMillis).orElse(null),
            start.flatMap(m -> m.field("uptime")).map(DemoGuest::parseDouble).orElse(null),
            out.elapsedMillis(), devices, checks, clean, out.exitCode(), out.timedOut(),
            d.keepWorkDir() ? d.workDir().toString() : null, tail);
    }

    /** Reads the start of the scratch disk on the host (qemu-img dd) and compares it with the pattern. */
    static DemoCheck diskOnHost(PreparedDemo d) {
        DemoExpectations exp = d.expectations();
        Path raw = d.workDir().resolve("scratch-head.raw");
        try {
            ProcessRunner.Result r = ProcessRunner.run(List.of("qemu-img", "dd", "-f", "qcow2", "-O", "raw",
                "bs=4096", "count=" + exp.patternBytes() / 4096, "if=" + d.disk(), "of=" + raw), null, TOOL_TIMEOUT);
            if (!r.ok()) {
                return DemoCheck.fail("disk-on-host", r.describe());
            }
            byte[] got = Files.readAllBytes(raw);
            return Arrays.equals(got, exp.patternData())
                ? DemoCheck.pass("disk-on-host", "host read the pattern back from " + d.disk().getFileName()
                    + " with qemu-img")
                : DemoCheck.fail("disk-on-host", "first " + exp.patternBytes() + " bytes of the qcow2 image do not"
                    + " hold the pattern");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (DemoException e) {
            return DemoCheck.fail("disk-on-host", e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(raw);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private static Double parseDouble(String s) {
        try {
            return Double.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

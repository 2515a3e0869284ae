package io.kvmj.bench.guest;

import io.kvmj.bench.BenchContext;
import io.kvmj.bench.Cmd;
import io.kvmj.bench.GuestRun;
import io.kvmj.bench.Suite;
import io.kvmj.bench.disk.CacheMode;
import io.kvmj.bench.report.Figure;
import io.kvmj.bench.report.HostInfo;
import io.kvmj.core.qemu.QemuOpts;
import io.kvmj.launcher.demo.BusyboxLocator;
import io.kvmj.launcher.demo.GuestKernel;
import io.kvmj.launcher.demo.Initramfs;
import io.kvmj.launcher.demo.KernelLocator;
import io.kvmj.launcher.demo.KvmjCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Guest disk I/O: the demo guest's kernel and initramfs writer with a benchmark /init that runs dd on every
 * virtio disk (sequential write + fsync, O_DIRECT write, read after drop_caches) and prints bytes and µs.
 * One boot carries every disk: raw and qcow2 with preallocation off/falloc/full under cache=none, plus raw
 * full under every other cache mode (the full profile: every layout under every mode). Always TCG here.
 * The baseline of each figure is raw, preallocation=full, cache=none, same test, same boot.
 */
public final class GuestDiskSuite implements Suite {

    static final List<String> FORMATS = List.of("raw", "qcow2");
    static final List<String> PREALLOCS = List.of("off", "falloc", "full");
    static final List<String> TESTS = List.of("write-fsync", "write-direct", "read");
    static final String BASE = "raw-full-none";

    /** One scratch disk: image format, preallocation and cache mode; its id is the virtio serial. */
    record Disk(String format, String prealloc, CacheMode cache) {
        /** Virtio serial (at most 20 characters): format-prealloc-cachecode. */
        String id() {
            String code = switch (cache) {
                case WRITEBACK -> "wb";
                case NONE -> "none";
                case WRITETHROUGH -> "wt";
                case DIRECTSYNC -> "ds";
                case UNSAFE -> "unsafe";
            };
            return format + "-" + prealloc + "-" + code;
        }

        String label() {
            return format + " " + prealloc + ", cache=" + cache.qemuName();
        }
    }

    @Override
    public String id() {
        return "guestdisk";
    }

    static List<Disk> disks(boolean full) {
        List<Disk> d = new ArrayList<>();
        for (CacheMode m : CacheMode.values()) {
            for (String f : FORMATS) {
                for (String p : PREALLOCS) {
                    boolean layoutRow = m == CacheMode.NONE;
                    boolean modeRow = f.equals("raw") && p.equals("full");
                    if (full || layoutRow || modeRow) {
                        d.add(new Disk(f, p, m));
                    }
                }
            }
        }
        return d;
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        GuestKernel kernel;
        BusyboxLocator.Busybox busybox;
        try {
            kernel = KernelLocator.forThisHost().locate(null);
            busybox = BusyboxLocator.locate(KvmjCache.defaultRoot(System.getenv()));
        } catch (RuntimeException e) {
            ctx.note("guestdisk: no guest kernel or busybox (" + e.getMessage() + "); suite skipped");
            return List.of();
        }
        Path dir = ctx.workSubdir("guestdisk");
        Path initrd = dir.resolve("bench-initrd.img");
        Initramfs.write(initrd, busybox.path(), kernel.modules(), initScript());
        int mib = ctx.profile().guestDdMiB();
        boolean full = ctx.profile().name().equals("full");
        List<Disk> disks = disks(full);
        // quick: one boot with every disk; full: one boot per cache mode (fewer PCI devices per guest)
        List<List<Disk>> boots = new ArrayList<>();
        if (full) {
            for (CacheMode m : CacheMode.values()) {
                boots.add(disks.stream().filter(d -> d.cache() == m).toList());
            }
        } else {
            boots.add(disks);
        }
        Map<String, GuestConsole.DdRun> byKey = new HashMap<>();
        List<Figure> runs = new ArrayList<>();
        try {
            for (List<Disk> boot : boots) {
                GuestRun run = boot(ctx, dir, kernel, initrd, boot, mib);
                for (GuestConsole.DdRun r : GuestConsole.parse(run.lines())) {
                    if (!r.ok()) {
                        ctx.note("guestdisk: dd " + r.test() + " on " + r.serial() + " failed: " + r.status());
                    }
                    byKey.put(r.serial() + "/" + r.test(), r);
                }
                runs.add(Figure.plain("guestdisk", "guest run, " + boot.size() + " disks (" + boot.get(0).cache().qemuName()
                        + (boots.size() == 1 ? " and others" : "") + "): spawn to poweroff", run.elapsedMillis() / 1000,
                        "s", true, HostInfo.GUEST_ACCEL, GuestConsole.start(run.lines()).orElse("no start marker")));
            }
        } finally {
            Files.deleteIfExists(initrd);
        }
        List<Figure> out = new ArrayList<>();
        String baseLabel = "raw full, cache=none (" + (boots.size() == 1 ? "same boot" : "same run") + ")";
        for (Disk d : disks) {
            for (String t : TESTS) {
                GuestConsole.DdRun r = byKey.get(d.id() + "/" + t);
                if (r == null) {
                    ctx.note("guestdisk: no " + t + " result for " + d.label() + " (serial " + d.id() + ")");
                    continue;
                }
                if (!r.ok()) {
                    continue;
                }
                GuestConsole.DdRun base = byKey.get(BASE + "/" + t);
                String name = d.label() + ": " + t;
                String note = String.format(Locale.ROOT, "dd %d MiB in the guest, %.3f s", mib, r.seconds());
                if (d.id().equals(BASE) || base == null || !base.ok()) {
                    out.add(Figure.plain("guestdisk", name, r.mbPerSec(), "MB/s", false, HostInfo.GUEST_ACCEL, note));
                } else {
                    out.add(Figure.throughput("guestdisk", name, r.mbPerSec(), null, "MB/s", baseLabel,
                            base.mbPerSec(), null, HostInfo.GUEST_ACCEL, note));
                }
            }
        }
        out.addAll(runs);
        return out;
    }

    /** Creates the images of one boot, boots the guest once (TCG), removes the images. */
    private static GuestRun boot(BenchContext ctx, Path dir, GuestKernel kernel, Path initrd, List<Disk> disks, int mib)
            throws Exception {
        List<String> argv = new ArrayList<>(List.of("qemu-system-x86_64", "-nodefaults", "-no-user-config",
                "-no-reboot", "-machine", "pc", "-accel", "tcg", "-cpu", "max", "-smp", "1", "-m", "256M",
                "-display", "none", "-monitor", "none", "-serial", "stdio",
                "-kernel", kernel.kernel().toString(), "-initrd", initrd.toString(),
                "-append", "console=ttyS0 panic=-1 quiet loglevel=3 rdinit=/init kvmj.disks=" + disks.size()
                        + " kvmj.mib=" + mib));
        List<Path> images = new ArrayList<>();
        try {
            for (int i = 0; i < disks.size(); i++) {
                Disk d = disks.get(i);
                Path img = dir.resolve(d.id() + "." + d.format());
                Files.deleteIfExists(img);
                images.add(img);
                Cmd.run(List.of("qemu-img", "create", "-q", "-f", d.format(), "-o", "preallocation=" + d.prealloc(),
                        img.toString(), (2 * mib + 2) + "M"), 600);
                argv.add("-drive");
                argv.add("file=" + QemuOpts.escape("file", img.toString()) + ",if=none,id=d" + i + ",format=" + d.format()
                        + ",cache=" + d.cache().qemuName());
                argv.add("-device");
                argv.add("virtio-blk-pci,drive=d" + i + ",serial=" + d.id());
            }
            GuestRun run = GuestRun.run(argv, Duration.ofSeconds(120 + (long) disks.size() * mib / 2));
            if (!GuestConsole.done(run.lines())) {
                ctx.note("guestdisk: the guest did not finish (timedOut=" + run.timedOut() + ", exit=" + run.exitCode()
                        + "); console tail: " + run.tail(8).replace('\n', ' ') + "; stderr: " + run.stderr().strip());
            }
            return run;
        } finally {
            for (Path p : images) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String initScript() throws IOException {
        try (InputStream in = GuestDiskSuite.class.getResourceAsStream("bench-init.sh")) {
            if (in == null) {
                throw new IOException("resource bench-init.sh missing from the benchmarks jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

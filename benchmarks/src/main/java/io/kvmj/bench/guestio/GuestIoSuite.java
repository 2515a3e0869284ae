package io.kvmj.bench.guestio;

import io.kvmj.bench.BenchContext;
import io.kvmj.bench.Cmd;
import io.kvmj.bench.Suite;
import io.kvmj.bench.disk.FioRunner;
import io.kvmj.bench.report.Figure;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.NicSpec;
import io.kvmj.core.model.NinePShare;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.osimage.HostRequirements;
import io.kvmj.qga.QgaClient;
import io.kvmj.qga.model.GuestExecRequest;
import io.kvmj.qga.model.GuestExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Guest I/O through a real OS: fio inside a Debian 12 guest, driven through the QEMU guest agent
 * ({@code guest-exec} with status polling), on one small raw virtio-blk data disk per host I/O path
 * ({@link IoPath}: cache mode × AIO engine, each disk rendered by kvmj's {@code DiskSpec}), and host fio on the very
 * same image file with the flags that follow QEMU's host path, interleaved job by job in the same run. Plus a 9p
 * share: sequential fio in the guest on the mount versus the same fio on the host directory. One guest boot carries
 * everything. Every guest figure is marked with the accelerator (TCG on a machine without KVM: the guest's CPU is
 * emulated, so its figures say what TCG costs, not what virtio-blk costs under KVM).
 *
 * <p>Each figure is a throughput against host fio in the same run; its ratio (the report's slowdown factor) is
 * host / guest, and the note gives guest / host as a fraction.
 */
public final class GuestIoSuite implements Suite {

    private static final Duration BOOT = Duration.ofSeconds(1200);
    static final String SHARE_TAG = "bench9p";

    @Override
    public String id() {
        return "guestio";
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        String problem = HostRequirements.problem(true);
        if (problem != null) {
            ctx.note("guestio: absent: " + problem);
            return List.of();
        }
        if (!FioRunner.available()) {
            ctx.note("guestio: absent: fio is not installed on the host (apt-get install fio)");
            return List.of();
        }
        boolean full = ctx.profile().name().equals("full");
        int seconds = full ? 10 : 2;
        long diskBytes = (full ? 256L : 64L) << 20;
        long nineBytes = (full ? 256L : 32L) << 20;
        Path dir = ctx.workSubdir("guestio").toAbsolutePath();
        List<Figure> out = new ArrayList<>();
        List<GuestIoReport.Row> rows = new ArrayList<>();
        try {
            clean(dir);
            Files.createDirectories(dir);
            long t0 = System.nanoTime();
            BenchImage image = BenchImage.build(dir.resolve("root.qcow2"));
            double buildS = (System.nanoTime() - t0) / 1e9;
            List<IoPath> paths = IoPath.all(full);
            Path share = Files.createDirectories(dir.resolve("share"));
            GuestSpec spec = spec(image, paths, dir, diskBytes, share);
            Launcher launcher = Launcher.create(LaunchOptions.defaults().withReadyTimeout(Duration.ofSeconds(120)));
            long tb = System.nanoTime();
            try (Guest g = launcher.launch(spec)) {
                String accel = g.argv().contains("kvm") ? "KVM" : "TCG";
                try (QgaClient agent = g.awaitAgent(BOOT)) {
                    double bootS = (System.nanoTime() - tb) / 1e9;
                    // first-boot jobs (cloud-init, growpart) would compete with fio for the one emulated CPU
                    agent.exec(GuestExecRequest.builder("cloud-init", "status", "--wait").timeout(BOOT).build());
                    String about = sh(agent, "uname -r; fio --version", 120).strip().replace('\n', ' ');
                    out.add(Figure.plain("guestio", "Debian 12 guest (" + about + "): image build + boot to agent",
                            buildS + bootS, "s", true, accel, String.format(Locale.ROOT,
                                    "build %.1f s (base %s), boot %.1f s; %d data disks of %d MiB, one boot", buildS,
                                    image.result().baseCached() ? "cached" : "built now", bootS, paths.size(),
                                    diskBytes >> 20)));
                    for (IoPath p : paths) {
                        for (FioJob j : FioJob.DISK_JOBS) {
                            Figure f = diskFigure(ctx, agent, p, j, dir.resolve(p.serial() + ".raw"), diskBytes,
                                    seconds, accel, rows);
                            if (f != null) {
                                out.add(f);
                            }
                        }
                    }
                    if (image.generic9pKernel()) {
                        out.addAll(ninePFigures(ctx, agent, share, nineBytes, accel, rows));
                    } else {
                        ctx.note("guestio: 9p figures absent: the image boots " + image.result().kernel()
                                + " (Debian's cloud kernel has no 9p)");
                    }
                }
                g.kill();
            }
        } finally {
            GuestIoReport.write(ctx.outDir(), rows, ctx.profile().name());
            clean(dir);
        }
        return out;
    }

    private static GuestSpec spec(BenchImage image, List<IoPath> paths, Path dir, long diskBytes, Path share)
            throws IOException, InterruptedException {
        GuestSpec.Builder b = GuestSpec.builder("bench-guestio").accelerator(Accelerator.AUTO).cpus(2).memoryMiB(1024)
                .disk(DiskSpec.file("root", image.disk()).format(DiskFormat.QCOW2).bus(DiskBus.VIRTIO_BLK).build())
                .nic(NicSpec.user("net0")).share(NinePShare.of(SHARE_TAG, share));
        for (IoPath p : paths) {
            Path f = dir.resolve(p.serial() + ".raw");
            // written in full, so reads on both sides meet allocated blocks, not holes
            Cmd.run(List.of("qemu-img", "create", "-q", "-f", "raw", "-o", "preallocation=full", f.toString(),
                    Long.toString(diskBytes)), 600);
            b.disk(DiskSpec.file("d-" + p.serial(), f).format(DiskFormat.RAW).bus(DiskBus.VIRTIO_BLK)
                    .cache(p.cache()).aio(p.aio()).serial(p.serial()).disposable(true).build());
        }
        return b.build();
    }

    /** Guest fio then host fio, same job, same file; null (and a note) when either side fails. */
    private static Figure diskFigure(BenchContext ctx, QgaClient agent, IoPath p, FioJob j, Path file, long bytes,
                                     int seconds, String accel, List<GuestIoReport.Row> rows) {
        FioStats guest;
        FioStats host;
        try {
            guest = guestFio(agent, j.guestArgv(p, seconds), seconds);
            host = HostFio.run(j.hostArgv(p, file.toString(), bytes, seconds), seconds + 300L);
        } catch (Exception e) {
            ctx.note("guestio: " + p.label() + " " + j.name() + " failed: " + e.getMessage());
            return null;
        }
        double gv = j.value(guest);
        double hv = j.value(host);
        rows.add(new GuestIoReport.Row("virtio-blk " + p.label(), j.name(), j.unit(), gv, hv, accel,
                p.hostDescription()));
        return Figure.throughput("guestio", "virtio-blk " + p.label() + ": " + j.name() + " (guest fio)", gv, null,
                j.unit(), "host fio, same file, " + p.hostDescription(), hv, null, accel, String.format(Locale.ROOT,
                        "guest/host %.3f; guest: libaio O_DIRECT iodepth %d on the raw disk, %d s; %s", gv / hv,
                        FioJob.IODEPTH, seconds, guest.fioVersion()));
    }

    /** Sequential 1M write (fsync at the end) then read of one file, in the guest on the 9p mount and on the host. */
    private static List<Figure> ninePFigures(BenchContext ctx, QgaClient agent, Path share, long bytes, String accel,
                                             List<GuestIoReport.Row> rows) {
        List<Figure> out = new ArrayList<>();
        NinePShare s = NinePShare.of(SHARE_TAG, share);
        try {
            StringBuilder mount = new StringBuilder();
            for (String m : NinePShare.GUEST_MODULES) {
                mount.append("modprobe ").append(m).append(" 2>/dev/null; ");
            }
            mount.append("mkdir -p ").append(s.guestMountPoint()).append(" && ").append(s.mountCommand());
            sh(agent, mount.toString(), 120);
        } catch (Exception e) {
            ctx.note("guestio: 9p share not mounted in the guest, 9p figures absent: " + e.getMessage());
            return out;
        }
        for (String rw : List.of("write", "read")) {
            try {
                List<String> common = List.of("--rw=" + rw, "--bs=1M", "--size=" + bytes, "--ioengine=psync",
                        "--iodepth=1", "--end_fsync=" + (rw.equals("write") ? 1 : 0), "--invalidate=0",
                        "--output-format=json");
                List<String> g = new ArrayList<>(List.of("fio", "--name=9p-" + rw,
                        "--filename=" + s.guestMountPoint() + "/guest.bin"));
                g.addAll(common);
                List<String> h = new ArrayList<>(List.of("fio", "--name=host-dir-" + rw,
                        "--filename=" + share.resolve("host.bin")));
                h.addAll(common);
                FioStats gs = guestFio(agent, g, 600);
                FioStats hs = HostFio.run(h, 600);
                double gv = gs.side(rw).mbPerSec();
                double hv = hs.side(rw).mbPerSec();
                rows.add(new GuestIoReport.Row("9p share (" + s.securityModel().name().toLowerCase(Locale.ROOT)
                        + ")", "1M-" + rw, "MB/s", gv, hv, accel, "host directory, buffered"));
                out.add(Figure.throughput("guestio", "9p share: 1M sequential " + rw + " (guest fio on the mount)", gv,
                        null, "MB/s", "host fio on the shared directory, buffered", hv, null, accel, String.format(
                                Locale.ROOT, "guest/host %.3f; %d MiB file, psync, %s; mount -o %s", gv / hv,
                                bytes >> 20, rw.equals("write") ? "fsync at the end" : "after the write",
                                s.mountOptions())));
            } catch (Exception e) {
                ctx.note("guestio: 9p " + rw + " failed: " + e.getMessage());
            }
        }
        return out;
    }

    /** Runs fio in the guest through guest-exec (polled until it exits) and parses its JSON. */
    static FioStats guestFio(QgaClient agent, List<String> argv, int seconds) throws IOException {
        GuestExecResult r = agent.exec(GuestExecRequest.builder(argv)
                .timeout(Duration.ofSeconds(seconds + 600L)).build());
        String raw = System.getProperty("kvmj.bench.guestio.raw");
        if (raw != null) {
            Files.writeString(Files.createDirectories(Path.of(raw)).resolve(argv.get(1).substring("--name=".length())
                    + ".json"), r.stdoutText());
        }
        if (!r.success()) {
            throw new IOException("guest fio exited " + r.exitCode() + ": " + r.stderrText().strip() + " "
                    + r.stdoutText().strip());
        }
        return FioStats.parse(r.stdoutText());
    }

    private static String sh(QgaClient agent, String script, int seconds) throws IOException {
        GuestExecResult r = agent.exec(GuestExecRequest.builder("sh", "-c", script)
                .timeout(Duration.ofSeconds(seconds)).build());
        if (!r.success()) {
            throw new IOException("guest `" + script + "` exited " + r.exitCode() + ": " + r.stderrText().strip());
        }
        return r.stdoutText();
    }

    private static void clean(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}

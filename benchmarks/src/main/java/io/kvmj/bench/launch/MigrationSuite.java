package io.kvmj.bench.launch;

import io.kvmj.bench.BenchContext;
import io.kvmj.bench.Suite;
import io.kvmj.bench.report.Figure;
import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.NicSpec;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.osimage.BuildListener;
import io.kvmj.launcher.osimage.DebianImageBuilder;
import io.kvmj.launcher.osimage.DebianRelease;
import io.kvmj.launcher.osimage.HostRequirements;
import io.kvmj.launcher.osimage.ImageBuildSpec;
import io.kvmj.launcher.osimage.RootPassword;
import io.kvmj.qga.QgaClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Live migration on this host of the Debian 12 guest of {@code kvmj img build} (TCG, 2 vCPUs, 1 GiB, qcow2 overlay
 * shared by source and destination), idle and while {@link DirtyWorkload} rewrites 64 MiB of its RAM in a loop:
 * {@code LiveMigration.toNewGuest} (kvmj launches the destination from the spec and drives QMP) beside
 * {@link RawMigration} (a bare QEMU with the same argv and a minimal QMP script), in interleaved pairs on the same
 * guest ({@link MigrationChain}: kvmj moves it into a kvmj QEMU, the script moves it on into a bare QEMU, kvmj
 * takes it from there, ...). Pre-copy only. Reported: wall time (destination spawn to guest running on it) and
 * QEMU's own total time and downtime for both.
 */
public final class MigrationSuite implements Suite {
    private static final Duration BOOT = Duration.ofSeconds(900);
    private static final Duration MOVE_TIMEOUT = Duration.ofMinutes(5);

    @Override
    public String id() {
        return "migrate";
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        String problem = HostRequirements.problem(true);
        if (problem != null) {
            ctx.note("migrate: absent: " + problem);
            return List.of();
        }
        int reps = ctx.profile().name().equals("full") ? 6 : 3;
        Path work = ctx.workSubdir("migrate").toAbsolutePath();
        List<Figure> out = new ArrayList<>();
        try {
            Path image = work.resolve("debian.qcow2");
            Files.deleteIfExists(image);
            DebianImageBuilder.create().build(ImageBuildSpec.builder(DebianRelease.DEBIAN_12, image)
                    .format(ImageFormat.QCOW2).size(ByteSize.ofGiB(4)).rootPassword(RootPassword.of("bench"))
                    .build(), BuildListener.NONE);
            Path disk = DebianBoot.overlay(image, work.resolve("guest.qcow2"));
            GuestSpec base = GuestSpec.builder("bm").accelerator(Accelerator.TCG).cpus(2).memoryMiB(1024)
                    .disk(DiskSpec.file("root", disk).format(DiskFormat.QCOW2).bus(DiskBus.VIRTIO_BLK).build())
                    .nic(NicSpec.user("net0")).build();
            Launcher launcher = Launcher.create(LaunchOptions.defaults().withReadyTimeout(Duration.ofSeconds(60)));
            Launcher planner = Launcher.create(LaunchOptions.defaults().withDetached(true)); // server sockets only
            String tag = "bm" + ProcessHandle.current().pid() + "-";
            try (MigrationChain chain = new MigrationChain(launcher, planner, base, tag, MOVE_TIMEOUT)) {
                long t0 = System.nanoTime();
                Guest g = chain.launch();
                try (QgaClient agent = g.awaitAgent(BOOT)) {
                    agent.exec(List.of("cloud-init", "status", "--wait"), BOOT); // first-boot work done: idle
                }
                System.out.printf(Locale.ROOT, "migrate: Debian booted, cloud-init done in %.0f s%n",
                        (System.nanoTime() - t0) / 1e9);
                for (boolean dirtying : new boolean[] {false, true}) {
                    if (!measure(ctx, chain, dirtying, reps, out)) {
                        break;
                    }
                }
            }
        } finally {
            DebianBoot.deleteAll(work);
        }
        return out;
    }

    /** One workload's interleaved pairs; false when a pair failed (the chain cannot go on). */
    private static boolean measure(BenchContext ctx, MigrationChain chain, boolean dirtying, int reps,
                                   List<Figure> out) throws Exception {
        String workload = dirtying ? "dirtying " + DirtyWorkload.MIB + " MiB" : "idle";
        String load = "";
        long passes0 = 0;
        if (dirtying) {
            try (QgaClient agent = QgaClient.open(chain.agentSocket())) {
                DirtyWorkload.start(agent);
                double rate = DirtyWorkload.rate(agent, Duration.ofSeconds(5));
                passes0 = DirtyWorkload.passes(agent);
                load = String.format(Locale.ROOT, "; in the guest a loop rewrites a %d MiB /dev/shm file with random "
                        + "bytes (dd conv=notrunc from a second one), %.0f MiB/s measured before the pairs",
                        DirtyWorkload.MIB, rate);
            }
        }
        double[][] k = new double[4][reps];
        double[][] b = new double[4][reps];
        int done = 0;
        for (int i = 0; i < reps; i++) {
            try {
                MigrationChain.Step ks = chain.kvmjMove();
                MigrationChain.Step bs = chain.rawMove();
                put(k, i, ks);
                put(b, i, bs);
                System.out.printf(Locale.ROOT, "migrate %s #%d: kvmj wall %.0f ms total %d down %d sent %.0f MiB"
                        + " | raw wall %.0f ms total %d down %d sent %.0f MiB%n", workload, i, ks.wallMs(),
                        ks.totalTimeMs(), ks.downtimeMs(), ks.transferredBytes() / 1048576.0, bs.wallMs(),
                        bs.totalTimeMs(), bs.downtimeMs(), bs.transferredBytes() / 1048576.0);
                done = i + 1;
            } catch (Exception e) {
                StringBuilder why = new StringBuilder();
                for (Throwable t = e; t != null; t = t.getCause()) {
                    why.append(t == e ? "" : " <- ").append(t);
                }
                ctx.note("migrate: " + workload + ", pair " + i + " failed, figures from the " + done + " pairs "
                        + "before it: " + why + " (" + chain.holderState() + ")");
                break;
            }
        }
        if (dirtying && done > 0) {
            try (QgaClient agent = QgaClient.open(chain.agentSocket())) {
                load += String.format(Locale.ROOT, "; it ran on: %d passes (%d MiB each) during the pairs",
                        DirtyWorkload.passes(agent) - passes0, DirtyWorkload.MIB);
            }
        }
        if (done == 0) {
            return false;
        }
        k = trim(k, done);
        b = trim(b, done);
        String note = String.format(Locale.ROOT, "median of %d interleaved pairs on one Debian 12 guest (2 vCPUs, "
                + "1 GiB, TCG, qcow2 overlay shared by both sides), pre-copy, unix socket on this host, unlimited "
                + "bandwidth, QEMU's default downtime limit; raw = bare QEMU with kvmj's argv + a minimal QMP script "
                + "polling every 100 ms (kvmj waits on QEMU's MIGRATION events, at most 250 ms between looks)%s; MiB sent kvmj/raw %s", done, load,
                LaunchSuite.pairs(k[3], b[3]));
        String baseline = "raw QMP script, same guest";
        out.add(Figure.time("migrate", "Debian 12 live migration, " + workload + ": wall (spawn destination to "
                + "running)", median(k[0]), null, "ms", baseline, median(b[0]), null, "TCG", note
                + "; kvmj also launches its destination with a runtime dir, QMP negotiation and machine pinning; "
                + "pairs kvmj/raw " + LaunchSuite.pairs(k[0], b[0])));
        out.add(Figure.time("migrate", "Debian 12 live migration, " + workload + ": QEMU total-time",
                median(k[1]), null, "ms", baseline, median(b[1]), null, "TCG", note + "; pairs kvmj/raw "
                        + LaunchSuite.pairs(k[1], b[1])));
        out.add(Figure.time("migrate", "Debian 12 live migration, " + workload + ": QEMU downtime",
                median(k[2]), null, "ms", baseline, median(b[2]), null, "TCG", note + "; pairs kvmj/raw "
                        + LaunchSuite.pairs(k[2], b[2])));
        return done == reps;
    }

    private static void put(double[][] v, int i, MigrationChain.Step s) {
        v[0][i] = s.wallMs();
        v[1][i] = s.totalTimeMs();
        v[2][i] = s.downtimeMs();
        v[3][i] = s.transferredBytes() / 1048576.0;
    }

    private static double[][] trim(double[][] v, int n) {
        double[][] out = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = Arrays.copyOf(v[i], n);
        }
        return out;
    }

    static double median(double[] v) {
        return LaunchSuite.median(v);
    }
}

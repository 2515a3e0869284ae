package io.kvmj.bench.launch;

import io.kvmj.bench.BareQemu;
import io.kvmj.bench.BenchContext;
import io.kvmj.bench.Suite;
import io.kvmj.bench.report.Figure;
import io.kvmj.launcher.demo.DemoGuest;
import io.kvmj.launcher.demo.DemoOptions;
import io.kvmj.launcher.demo.DemoReport;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.LaunchTimings;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.demo.PreparedDemo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Launch suite: {@code -machine none} to QMP ready, kvmj's launcher versus the bare QEMU with the same argv,
 * and the demo guest boot to poweroff versus the bare QEMU with the demo's argv; interleaved pairs so both
 * see the same machine load.
 */
public final class LaunchSuite implements Suite {

    static final double TARGET_OVERHEAD_MS = 30;

    @Override
    public String id() {
        return "launch";
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        List<Figure> out = new ArrayList<>(machineNone(ctx));
        out.addAll(demoBoot(ctx));
        out.addAll(DebianBoot.run(ctx));
        return out;
    }

    /**
     * {@code -machine none}: kvmj's launch to QMP ready versus the bare QEMU with the argv kvmj ran, waiting
     * for the QMP greeting on the same kind of socket; interleaved pairs, after two warm-up pairs.
     */
    List<Figure> machineNone(BenchContext ctx) throws Exception {
        int reps = ctx.profile().name().equals("full") ? 60 : 25;
        Launcher launcher = Launcher.create();
        Path scratch = Files.createTempDirectory("kvmj-bare");
        double[] kvmj = new double[reps];
        double[] bare = new double[reps];
        double[] diff = new double[reps];
        double[][] phases = new double[4][reps];
        try {
            for (int i = -2; i < reps; i++) {
                KvmjLaunch.Timed k = KvmjLaunch.kvmj(launcher, "bench-launch-" + ProcessHandle.current().pid()
                        + "-" + (i + 2));
                double b = KvmjLaunch.bare(k.argv(), scratch);
                if (i >= 0) {
                    kvmj[i] = k.millis();
                    LaunchTimings t = k.phases();
                    phases[0][i] = t.prepare().toNanos() / 1e6;
                    phases[1][i] = t.spawn().toNanos() / 1e6;
                    phases[2][i] = t.qmpReady().toNanos() / 1e6;
                    phases[3][i] = t.firstStatus().toNanos() / 1e6;
                    bare[i] = b;
                    diff[i] = k.millis() - b;
                }
            }
        } finally {
            try (var s = Files.list(scratch)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(scratch);
        }
        double overhead = median(diff);
        System.out.println("launch pairs (kvmj ms, bare ms): " + pairs(kvmj, bare));
        return List.of(
                Figure.time("launch", "-machine none: Launcher.launchArgv to QMP ready", median(kvmj), null, "ms",
                        "bare qemu, same argv, to QMP greeting", median(bare), LibvirtLaunch.TARGET_RATIO, "host",
                        String.format(Locale.ROOT, "median of %d interleaved pairs; kvmj also negotiates QMP and "
                                + "runs query-status", reps)),
                Figure.withValueTarget("launch", "-machine none: launcher overhead (median of paired differences)",
                        overhead, "ms", TARGET_OVERHEAD_MS, "host",
                        String.format(Locale.ROOT, "%d pairs, differences p25 %.1f / p75 %.1f ms; kvmj adds runtime "
                                + "args, listens for QMP, negotiates, runs query-status; kvmj's phases (medians, "
                                + "Guest.launchTimings): prepare %.1f, spawn %.1f, QMP ready %.1f, first status %.1f ms",
                                reps, quantile(diff, 0.25), quantile(diff, 0.75), median(phases[0]),
                                median(phases[1]), median(phases[2]), median(phases[3]))));
    }

    /**
     * The demo guest, boot to poweroff: {@code DemoGuest.boot} (kvmj's demo command path, including its
     * evaluation) versus the bare QEMU with the same argv ({@code DemoQemuArgs.argv}), interleaved.
     */
    List<Figure> demoBoot(BenchContext ctx) {
        int reps = ctx.profile().bootRepetitions();
        List<Figure> out = new ArrayList<>();
        Path scratch = null;
        try (PreparedDemo d = DemoGuest.prepare(DemoOptions.defaults().withWorkParent(ctx.workSubdir("launch")))) {
            scratch = Files.createTempDirectory("kvmj-bare-demo");
            // the argv kvmj's launcher runs for the demo guest (runtime args included), moved to a scratch dir
            List<String> kvmjArgv = Launcher.create(LaunchOptions.defaults()).plan(d.guestSpec("bench-demo-bare")).argv();
            KvmjLaunch.Rewritten bareArgv = KvmjLaunch.rewrite(kvmjArgv, scratch);
            String accel = kvmjArgv.contains("kvm") ? "KVM" : "TCG";
            double[] bare = new double[reps];
            double[] kvmj = new double[reps];
            double[] qemuOnly = new double[reps];
            double[] diff = new double[reps];
            BareQemu.runToExit(bareArgv.argv(), bareArgv.clientQmp(), Duration.ofSeconds(300));   // warm-up
            for (int i = 0; i < reps; i++) {
                bare[i] = BareQemu.runToExit(bareArgv.argv(), bareArgv.clientQmp(), Duration.ofSeconds(300));
                long t0 = System.nanoTime();
                DemoReport r = DemoGuest.boot(d, Duration.ofSeconds(300), null);
                kvmj[i] = (System.nanoTime() - t0) / 1e6;
                qemuOnly[i] = r.totalMillis();
                diff[i] = kvmj[i] - bare[i];
                if (!r.passed()) {
                    ctx.note("launch: demo guest run " + i + " did not pass its checks: " + r.consoleTail());
                }
            }
            double bm = median(bare);
            double km = median(kvmj);
            out.add(Figure.time("launch", "demo guest boot to poweroff, DemoGuest.boot", km, null, "ms",
                    "bare qemu, kvmj's argv for the demo", bm, null, accel,
                    String.format(Locale.ROOT, "median of %d interleaved pairs; overhead %.0f ms (includes the demo's "
                            + "post-run checks); QEMU start-to-exit inside DemoGuest: %.0f ms", reps, km - bm,
                            median(qemuOnly))));
            out.add(Figure.plain("launch", "demo guest: DemoGuest.boot overhead (median of paired differences)",
                    median(diff), "ms", true, accel, "includes the demo's post-run checks (qemu-img reads the "
                            + "scratch disk); TCG boots vary by hundreds of ms"));
        } catch (Exception e) {
            ctx.note("launch: demo guest boot comparison failed: " + e.getMessage());
        } finally {
            if (scratch != null) {
                try (var s = Files.list(scratch)) {
                    for (Path p : s.toList()) {
                        Files.deleteIfExists(p);
                    }
                    Files.deleteIfExists(scratch);
                } catch (java.io.IOException ignored) {
                    // best effort
                }
            }
        }
        return out;
    }

    static String pairs(double[] a, double[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            sb.append(String.format(Locale.ROOT, "%s%.1f/%.1f", i == 0 ? "" : " ", a[i], b[i]));
        }
        return sb.toString();
    }

    static double quantile(double[] v, double q) {
        double[] a = v.clone();
        Arrays.sort(a);
        return a[(int) Math.round(q * (a.length - 1))];
    }

    static double median(double[] v) {
        double[] a = v.clone();
        Arrays.sort(a);
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }
}

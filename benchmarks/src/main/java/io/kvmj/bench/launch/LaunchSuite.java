package io.kvmj.bench.launch;

import io.kvmj.bench.BareQemu;
import io.kvmj.bench.BenchContext;
import io.kvmj.bench.GuestRun;
import io.kvmj.bench.Suite;
import io.kvmj.bench.report.Figure;
import io.kvmj.launcher.demo.DemoGuest;
import io.kvmj.launcher.demo.DemoOptions;
import io.kvmj.launcher.demo.DemoQemuArgs;
import io.kvmj.launcher.demo.DemoReport;
import io.kvmj.launcher.demo.PreparedDemo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Launch suite: spawn to QMP greeting for {@code -machine none}, bare QEMU versus kvmj's launch(),
 * interleaved in one loop so both see the same machine load.
 */
public final class LaunchSuite implements Suite {

    static final double TARGET_OVERHEAD_MS = 30;

    @Override
    public String id() {
        return "launch";
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        int reps = ctx.profile().name().equals("full") ? 40 : 12;
        Path dir = Files.createTempDirectory("kvmj-launch");
        Path sock = dir.resolve("qmp.sock");
        double[] bare = new double[reps];
        try {
            for (int i = -2; i < reps; i++) {
                try (BareQemu q = BareQemu.startServer(BareQemu.machineNoneArgv(List.of(sock)), sock,
                        Duration.ofSeconds(30))) {
                    if (i >= 0) {
                        bare[i] = q.readyNanos() / 1e6;
                    }
                }
            }
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
        List<Figure> out = new ArrayList<>();
        out.add(Figure.plain("launch", "bare qemu -machine none: spawn to QMP greeting (p50)", median(bare), "ms",
                true, "host", String.format(Locale.ROOT, "%d launches, poll connect every 0.2 ms", reps)));
        ctx.note("launch: kvmj Launcher not available in this build; only the bare QEMU baseline ran");
        out.addAll(demoBoot(ctx));
        return out;
    }

    /**
     * The demo guest, boot to poweroff: {@code DemoGuest.boot} (kvmj's demo command path, including its
     * evaluation) versus the bare QEMU with the same argv ({@code DemoQemuArgs.argv}), interleaved.
     */
    List<Figure> demoBoot(BenchContext ctx) {
        int reps = ctx.profile().bootRepetitions();
        List<Figure> out = new ArrayList<>();
        try (PreparedDemo d = DemoGuest.prepare(DemoOptions.defaults().withWorkParent(ctx.workSubdir("launch")))) {
            List<String> argv = DemoQemuArgs.argv(d);
            String accel = d.accelerator().accelerator().toUpperCase(Locale.ROOT);
            double[] bare = new double[reps];
            double[] kvmj = new double[reps];
            double[] qemuOnly = new double[reps];
            double[] diff = new double[reps];
            GuestRun warm = GuestRun.run(argv, Duration.ofSeconds(300));
            if (warm.timedOut() || warm.exitCode() == null || warm.exitCode() != 0) {
                ctx.note("launch: bare demo boot did not end cleanly (exit " + warm.exitCode() + "): "
                        + warm.tail(5).replace('\n', ' '));
                return out;
            }
            for (int i = 0; i < reps; i++) {
                GuestRun b = GuestRun.run(argv, Duration.ofSeconds(300));
                bare[i] = b.elapsedMillis();
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
                    "bare qemu, same argv", bm, null, accel,
                    String.format(Locale.ROOT, "median of %d interleaved pairs; overhead %.0f ms (includes the demo's "
                            + "post-run checks); QEMU start-to-exit inside DemoGuest: %.0f ms", reps, km - bm,
                            median(qemuOnly))));
            out.add(Figure.plain("launch", "demo guest: DemoGuest.boot overhead (median of paired differences)",
                    median(diff), "ms", true, accel, "includes the demo's post-run checks (qemu-img reads the "
                            + "scratch disk); TCG boots vary by hundreds of ms"));
        } catch (Exception e) {
            ctx.note("launch: demo guest boot comparison failed: " + e.getMessage());
        }
        return out;
    }

    static double median(double[] v) {
        double[] a = v.clone();
        Arrays.sort(a);
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }
}

package io.kvmj.bench.launch;

import io.kvmj.bench.BareQemu;
import io.kvmj.bench.BenchContext;
import io.kvmj.bench.Suite;
import io.kvmj.bench.report.Figure;
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
        return out;
    }

    static double median(double[] v) {
        double[] a = v.clone();
        Arrays.sort(a);
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }
}

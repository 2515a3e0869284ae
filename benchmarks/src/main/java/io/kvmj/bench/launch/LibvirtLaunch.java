package io.kvmj.bench.launch;

import io.kvmj.bench.BenchContext;
import io.kvmj.bench.Suite;
import io.kvmj.bench.report.Figure;
import io.kvmj.bench.peers.PrivateLibvirt;
import io.kvmj.launcher.Launcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.libvirt.Connect;
import org.libvirt.Domain;

/**
 * Suite {@code launchpeers}: launch to QMP ready of a paused TCG {@code pc} machine (64 MiB, one vCPU, no devices): kvmj's
 * {@code Launcher.launchArgv}, the bare QEMU with kvmj's argv, and libvirt's {@code virDomainCreateXML} with
 * {@code START_PAUSED} through a private libvirtd (it returns once libvirtd has QEMU's QMP negotiated and the
 * domain paused) — interleaved triples, order rotated each time, after one warm-up triple.
 */
public final class LibvirtLaunch implements Suite {

    static final List<String> PAUSED_PC = List.of("-machine", "pc", "-accel", "tcg", "-m", "64", "-smp", "1", "-S",
            "-nodefaults", "-display", "none");
    static final double TARGET_RATIO = 1.10;

    @Override
    public String id() {
        return "launchpeers";
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        int reps = ctx.profile().name().equals("full") ? 25 : 9;
        Launcher launcher = Launcher.create();
        Path scratch = Files.createTempDirectory("kvmj-bare-pc");
        String why = PrivateLibvirt.unavailable();
        PrivateLibvirt lv = null;
        Connect conn = null;
        double[] kvmj = new double[reps];
        double[] bare = new double[reps];
        double[] libvirt = new double[reps];
        List<Figure> out = new ArrayList<>();
        try {
            if (why == null) {
                try {
                    lv = PrivateLibvirt.start(ctx.workSubdir("launch-libvirtd-" + ProcessHandle.current().pid()));
                    conn = new Connect(lv.uri());
                } catch (Exception | LinkageError e) {
                    why = "the private libvirtd failed: " + e;
                }
            }
            if (why != null) {
                ctx.note("launch peer ABSENT: libvirt — " + why);
            }
            // the argv kvmj runs for this machine (its runtime args included): the bare QEMU's argv
            List<String> kvmjArgv = KvmjLaunch.kvmj(launcher, "bench-pc-" + ProcessHandle.current().pid() + "-w",
                    PAUSED_PC).argv();
            for (int i = -1; i < reps; i++) {
                double k = 0;
                double b = 0;
                double l = 0;
                for (int step = 0; step < 3; step++) {
                    switch ((step + Math.max(i, 0)) % 3) {
                        case 0 -> k = KvmjLaunch.kvmj(launcher, "bench-pc-" + ProcessHandle.current().pid() + "-"
                                + (i + 1), PAUSED_PC).millis();
                        case 1 -> b = KvmjLaunch.bare(kvmjArgv, scratch);
                        default -> l = conn == null ? Double.NaN : libvirtStart(conn, i);
                    }
                }
                if (i >= 0) {
                    kvmj[i] = k;
                    bare[i] = b;
                    libvirt[i] = l;
                }
            }
            double bm = LaunchSuite.median(bare);
            String how = String.format(Locale.ROOT, "median of %d interleaved triples (kvmj, bare, libvirt; order "
                    + "rotated); paused pc machine, 64 MiB, TCG", reps);
            out.add(Figure.time("launchpeers", "paused pc (TCG): kvmj Launcher.launchArgv to QMP ready",
                    LaunchSuite.median(kvmj), null, "ms", "bare qemu, same argv, to QMP greeting", bm, TARGET_RATIO,
                    "TCG", how + "; kvmj also negotiates QMP and runs query-status").withSeries("kvmj"));
            if (conn != null) {
                out.add(Figure.time("launchpeers", "paused pc (TCG): libvirt virDomainCreateXML(START_PAUSED) to return",
                        LaunchSuite.median(libvirt), null, "ms", "bare qemu, kvmj's argv, to QMP greeting", bm, null,
                        "TCG", how + "; libvirtd also probes capabilities, sets up cgroups/logging, negotiates "
                                + "QMP and queries the domain; private libvirtd").withSeries("libvirt"));
            }
            // -machine none, kvmj vs bare (the launch suite's pairs, here beside the libvirt figures)
            for (Figure f : new LaunchSuite().machineNone(ctx)) {
                out.add(0, new Figure("launchpeers", f.name(), f.value(), f.unit(), f.error(), f.lowerIsBetter(),
                        f.baseline(), f.baselineValue(), f.ratio(), f.target(), f.valueTarget(), f.accelerator(),
                        f.note(), "kvmj"));
            }
            System.out.println("launch pc triples (kvmj/bare/libvirt ms): " + triples(kvmj, bare, libvirt));
        } finally {
            if (conn != null) {
                conn.close();
            }
            if (lv != null) {
                lv.close();
                io.kvmj.bench.peers.QmpPeers.deleteTree(lv.dir());
            }
            try (var s = Files.list(scratch)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(scratch);
        }
        return out;
    }

    /** ms from createXML to its return; the domain is destroyed afterwards (not timed). */
    static double libvirtStart(Connect conn, int i) throws Exception {
        String name = "kvmj-bench-launch-" + ProcessHandle.current().pid() + "-" + (i + 1);
        String xml = PrivateLibvirt.domainXml(name, null);
        long t0 = System.nanoTime();
        Domain d = conn.domainCreateXML(xml, PrivateLibvirt.START_PAUSED);
        double ms = (System.nanoTime() - t0) / 1e6;
        d.destroy();
        d.free();
        return ms;
    }

    static String triples(double[] a, double[] b, double[] c) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            sb.append(String.format(Locale.ROOT, "%s%.0f/%.0f/%.0f", i == 0 ? "" : " ", a[i], b[i], c[i]));
        }
        return sb.toString();
    }
}

package io.kvmj.bench.peers;

import io.kvmj.bench.BareQemu;
import io.kvmj.bench.BenchContext;
import io.kvmj.bench.report.Figure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.libvirt.Connect;
import org.libvirt.Domain;

/**
 * The QMP peer comparison: kvmj's client beside the clients its users would pick instead, all in the same
 * run, interleaved, each its own process on its own QMP socket of one {@code -machine none} QEMU:
 * the minimal blocking Java client, go-qemu ({@code qmp.NewSocketMonitor}), a raw Python socket client,
 * and libvirt-java's {@code qemuMonitorCommand} through a private libvirtd (its own paused TCG domain, with a
 * direct client on an extra QMP socket of that domain as its control). A peer that cannot run is reported
 * as ABSENT in the notes, never skipped silently.
 *
 * <pre>
 * List&lt;Figure&gt; figures = QmpPeers.run(ctx);   // query-status p50/p99 and throughput per peer
 * </pre>
 */
public final class QmpPeers {

    static final double TARGET_P50 = 1.05;
    static final double TARGET_P99 = 1.0;
    static final double TARGET_THROUGHPUT = 1.0;
    static final String IN_FLIGHT = "1,8,64";
    /** Where scripts/bench puts the built Go driver and the Python driver. */
    static final String PEERS_DIR_PROPERTY = "kvmj.bench.peers.dir";
    static final String BEST = "best direct peer";

    private QmpPeers() {
    }

    public static List<Figure> run(BenchContext ctx) throws Exception {
        boolean full = ctx.profile().name().equals("full");
        int rounds = full ? 8 : 4;
        int warmMs = 3000;   // kvmj's Netty and Jackson paths need thousands of calls for C2 (measured: p50 -30 % after 6 s vs 1.5 s)
        int latMs = full ? 3000 : 1500;
        int thrMs = full ? 1000 : 600;
        Path dir = Files.createTempDirectory("kvmj-peers");
        Path peersDir = Path.of(System.getProperty(PEERS_DIR_PROPERTY, "benchmarks/target/peers")).toAbsolutePath();
        List<String> java = javaDriver();
        List<QmpPeer> peers = new ArrayList<>();
        List<Path> socks = new ArrayList<>();
        peers.add(new QmpPeer("minimal", "minimal Java client (java.nio, blocking)", "minimal Java", true,
                add(java, "minimal"), sock(dir, socks, "minimal")));
        peers.add(new QmpPeer("kvmj", "kvmj QmpClient.call()", "kvmj", false, add(java, "kvmj"),
                sock(dir, socks, "kvmj")));
        // the same client with busy-polling off: shows what polling costs or saves on this machine, now
        peers.add(new QmpPeer("kvmjNoPoll", "kvmj QmpClient.call(), busyPoll=0", "kvmj", false,
                add(java, "kvmjNoPoll"), sock(dir, socks, "kvmjnp")));
        // futures completed on the I/O thread (completionExecutor(Runnable::run)): what the completion hand-off costs
        peers.add(new QmpPeer("kvmjDirect", "kvmj QmpClient.call(), completion on the I/O thread", "kvmj", false,
                add(java, "kvmjDirect"), sock(dir, socks, "kvmjdirect")));
        Path go = peersDir.resolve("qmpbench");
        if (Files.isExecutable(go)) {
            peers.add(new QmpPeer("go-qemu", "go-qemu qmp.SocketMonitor.Run (Go)", "go-qemu", true,
                    List.of(go.toString()), sock(dir, socks, "go")));
        } else {
            ctx.note("qmp peer ABSENT: go-qemu — " + absentReason(peersDir, "go-qemu", go));
        }
        Path py = peersDir.resolve("qmp_raw.py");
        if (Files.isReadable(py) && PrivateLibvirt.onPath("python3")) {
            peers.add(new QmpPeer("python", "raw Python socket client", "Python", true,
                    List.of("python3", py.toString()), sock(dir, socks, "python")));
        } else {
            ctx.note("qmp peer ABSENT: raw Python client — " + absentReason(peersDir, "python", py));
        }
        String lvWhy = PrivateLibvirt.unavailable();
        PrivateLibvirt lv = null;
        Connect conn = null;
        Domain dom = null;
        Path lvDirect = dir.resolve("lv-direct.sock");
        String domName = "kvmj-bench-peer-" + ProcessHandle.current().pid();
        try (BareQemu qemu = BareQemu.startServer(BareQemu.machineNoneArgv(socks), socks.get(0),
                Duration.ofSeconds(30))) {
            if (lvWhy == null) {
                try {
                    lv = PrivateLibvirt.start(dir.resolve("libvirtd"));
                    conn = new Connect(lv.uri());
                    dom = conn.domainCreateXML(PrivateLibvirt.domainXml(domName, lvDirect),
                            PrivateLibvirt.START_PAUSED);
                    waitFor(lvDirect);
                    peers.add(new QmpPeer("libvirt", "libvirt-java qemuMonitorCommand (via private libvirtd)",
                            "libvirt", false, add(java, "libvirt"), lv.uri() + "#" + domName));
                    peers.add(new QmpPeer("libvirt-control", "control: minimal Java client on libvirt's domain",
                            "control", false, add(java, "minimal"), lvDirect.toString()));
                } catch (Exception | LinkageError e) {
                    lvWhy = "the private libvirtd or its domain failed: " + e;
                }
            }
            if (lvWhy != null) {
                ctx.note("qmp peer ABSENT: libvirt — " + lvWhy);
            }
            Map<String, List<PeerRun>> runs = new LinkedHashMap<>();
            peers.forEach(p -> runs.put(p.id(), new ArrayList<>()));
            String load0 = loadavg();
            for (int r = 0; r < rounds; r++) {
                List<QmpPeer> order = new ArrayList<>(peers);
                Collections.rotate(order, r);
                if (r % 2 == 1) {
                    Collections.reverse(order);
                }
                for (QmpPeer p : order) {
                    try {
                        runs.get(p.id()).add(PeerRun.parse(exec(p.argv(warmMs, latMs, thrMs, IN_FLIGHT))));
                    } catch (Exception e) {
                        ctx.note("qmp peer " + p.id() + " round " + r + " failed: " + e.getMessage());
                    }
                }
            }
            String load1 = loadavg();
            ctx.note(String.format(Locale.ROOT, "qmp peers: %d interleaved rounds (order rotated, every other round "
                    + "reversed), per run %d ms warm-up, %d ms of timed calls, %d ms per in-flight count; load "
                    + "before %s, after %s", rounds, warmMs, latMs, thrMs, load0, load1));
            for (QmpPeer p : peers) {
                if (runs.get(p.id()).isEmpty()) {
                    ctx.note("qmp peer ABSENT: " + p.label() + " — every run failed");
                }
            }
            return figures(peers, runs, rounds);
        } finally {
            if (dom != null) {
                try {
                    dom.destroy();
                } catch (Exception ignored) {
                    // stopped below by pid anyway
                }
            }
            if (conn != null) {
                conn.close();
            }
            if (lv != null) {
                lv.close();
            }
            deleteTree(dir);
        }
    }

    static List<Figure> figures(List<QmpPeer> peers, Map<String, List<PeerRun>> runs, int rounds) {
        List<Figure> out = new ArrayList<>();
        for (double p : new double[] {50, 99}) {
            QmpPeer best = null;
            double bestV = Double.MAX_VALUE;
            for (QmpPeer q : peers) {
                if (q.direct() && !runs.get(q.id()).isEmpty()) {
                    double v = median(runs.get(q.id()), r -> r.percentileMicros(p));
                    if (v < bestV) {
                        bestV = v;
                        best = q;
                    }
                }
            }
            double control = runs.containsKey("libvirt-control") && !runs.get("libvirt-control").isEmpty()
                    ? median(runs.get("libvirt-control"), r -> r.percentileMicros(p)) : Double.NaN;
            for (QmpPeer q : peers) {
                List<PeerRun> rs = runs.get(q.id());
                if (rs.isEmpty() || q.id().equals("libvirt-control") && best == null) {
                    continue;
                }
                double v = median(rs, r -> r.percentileMicros(p));
                long samples = rs.stream().mapToLong(r -> r.latenciesNs().length).sum();
                boolean onLibvirtDomain = q.id().startsWith("libvirt");
                String baseName;
                double base;
                if (q.id().equals("libvirt") && !Double.isNaN(control)) {
                    baseName = "control: direct client on the same libvirt domain";
                    base = control;
                } else if (best != null) {
                    baseName = BEST + " (" + best.label() + ")";
                    base = bestV;
                } else {
                    continue;
                }
                Double target = q.id().equals("kvmj") ? (p == 50 ? TARGET_P50 : TARGET_P99) : null;
                out.add(Figure.time("qmp", "query-status p" + (int) p + " — " + q.label(), v, null, "µs", baseName,
                        base, target, "host", String.format(Locale.ROOT, "median over %d interleaved runs "
                                + "(range %.0f–%.0f µs), %d samples%s", rs.size(),
                                min(rs, r -> r.percentileMicros(p)), max(rs, r -> r.percentileMicros(p)), samples,
                                onLibvirtDomain ? "; paused TCG pc domain under the private libvirtd"
                                        : "; -machine none QEMU shared by the direct peers"))
                        .withSeries(q.series()));
            }
        }
        for (String k : IN_FLIGHT.split(",")) {
            int n = Integer.parseInt(k);
            List<PeerRun> min = runs.get("minimal");
            if (min == null || min.isEmpty()) {
                break;
            }
            double base = median(min, r -> r.throughput().getOrDefault(n, 0.0));
            List<PeerRun> ctl = runs.getOrDefault("libvirt-control", List.of());
            double control = ctl.isEmpty() ? Double.NaN : median(ctl, r -> r.throughput().getOrDefault(n, 0.0));
            for (QmpPeer q : peers) {
                List<PeerRun> rs = runs.get(q.id());
                if (rs.isEmpty() || q.id().equals("minimal")) {
                    continue;
                }
                double v = median(rs, r -> r.throughput().getOrDefault(n, 0.0));
                boolean lvPeer = q.id().equals("libvirt") && !Double.isNaN(control);
                out.add(Figure.throughput("qmp", "throughput, " + n + " in flight — " + throughputLabel(q), v, null, "cmd/s",
                        lvPeer ? "control: direct client on the same libvirt domain, pipelined"
                                : "minimal Java client, pipelined", lvPeer ? control : base,
                        q.id().equals("kvmj") ? TARGET_THROUGHPUT : null, "host",
                        String.format(Locale.ROOT, "median over %d interleaved runs (range %.0f–%.0f cmd/s); %s",
                                rs.size(), min(rs, r -> r.throughput().getOrDefault(n, 0.0)),
                                max(rs, r -> r.throughput().getOrDefault(n, 0.0)), howInFlight(q.id())))
                        .withSeries(q.series()));
            }
        }
        return out;
    }

    /** The label of a peer's throughput row: kvmj's in-flight commands are execute() futures, not call(). */
    static String throughputLabel(QmpPeer q) {
        return q.label().replace("QmpClient.call()", "QmpClient.execute() futures");
    }

    static String howInFlight(String id) {
        return switch (id) {
            case "kvmj", "kvmjNoPoll", "kvmjDirect" -> "K execute() futures, then all awaited";
            case "go-qemu" -> "K goroutines calling Run (go-qemu serialises Run with a mutex: one command at a time)";
            case "libvirt" -> "K threads calling qemuMonitorCommand";
            default -> "K command lines written back to back, then K replies read";
        };
    }

    interface Metric {
        double of(PeerRun r);
    }

    static double median(List<PeerRun> rs, Metric m) {
        double[] v = rs.stream().mapToDouble(m::of).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static double min(List<PeerRun> rs, Metric m) {
        return rs.stream().mapToDouble(m::of).min().orElse(Double.NaN);
    }

    static double max(List<PeerRun> rs, Metric m) {
        return rs.stream().mapToDouble(m::of).max().orElse(Double.NaN);
    }

    /** The running JVM's java with the benchmarks jar (or class path) and the JMH forks' heap settings. */
    static List<String> javaDriver() {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(javaBin, "-Xms128m", "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), QmpDriverMain.class.getName());
    }

    private static List<String> add(List<String> a, String b) {
        List<String> l = new ArrayList<>(a);
        l.add(b);
        return l;
    }

    private static String sock(Path dir, List<Path> socks, String name) {
        Path s = dir.resolve(name + ".sock");
        socks.add(s);
        return s.toString();
    }

    /** The reason scripts/bench wrote ({@code NAME.absent}), or what is missing. */
    static String absentReason(Path peersDir, String name, Path expected) {
        Path why = peersDir.resolve(name + ".absent");
        try {
            if (Files.isReadable(why)) {
                return Files.readString(why).trim();
            }
        } catch (IOException ignored) {
            // fall through
        }
        return expected + " missing (scripts/bench builds it; run the suite through scripts/bench)";
    }

    static String exec(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + argv.get(argv.size() - 6));
        }
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", argv));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void waitFor(Path socket) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(socket)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no QMP socket " + socket + " on libvirt's domain");
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Deletes {@code dir} and everything under it, best effort. */
    public static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Collections.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: the private libvirtd's dirs may still be busy
        }
    }

    static double[] sorted(double[] v) {
        double[] a = v.clone();
        Arrays.sort(a);
        return a;
    }
}

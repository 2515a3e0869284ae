package io.kvmj.bench.launch;

import io.kvmj.bench.BenchContext;
import io.kvmj.bench.Suite;
import io.kvmj.bench.report.Figure;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.KernelBoot;
import io.kvmj.core.model.MachineType;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.demo.BusyboxLocator;
import io.kvmj.launcher.demo.GuestKernel;
import io.kvmj.launcher.demo.Initramfs;
import io.kvmj.launcher.demo.KernelLocator;
import io.kvmj.launcher.demo.KvmjCache;
import io.kvmj.launcher.migrate.LiveMigration;
import io.kvmj.launcher.migrate.Migration;
import io.kvmj.launcher.migrate.MigrationListener;
import io.kvmj.launcher.migrate.MigrationOptions;
import io.kvmj.launcher.migrate.MigrationResult;
import io.kvmj.launcher.migrate.MigrationSource;
import io.kvmj.qmp.QmpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Live migration on this host of a busybox guest (TCG, 256 MiB, the demo kernel), idle and while it rewrites a
 * 16 MiB tmpfs file in a loop: {@code LiveMigration.toNewGuest} (kvmj launches the destination from the spec and
 * drives QMP) beside {@link RawMigration} (a bare QEMU with the same argv and a minimal QMP script) on the same
 * guest, alternately: kvmj moves it into a kvmj QEMU, the script moves it on into a bare QEMU, kvmj takes it from
 * there, and so on. Reported: wall time (destination spawn to guest running on it) and QEMU's own total time and
 * downtime for both.
 */
public final class MigrationSuite implements Suite {
    private static final String READY = "KVMJ-BENCH-MIG: ready";
    private static final String INIT = """
            #!/bin/sh
            . /lib/kvmj/init-common.sh
            mkdir -p /run && mount -t tmpfs tmpfs /run
            echo "KVMJ-BENCH-MIG: ""ready"
            while read -r line; do eval "$line"; done
            """;

    @Override
    public String id() {
        return "migrate";
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        int reps = ctx.profile().name().equals("full") ? 8 : 3;
        Path work = ctx.workSubdir("migrate");
        GuestKernel kernel = KernelLocator.forThisHost().locate(null);
        Path initrd = work.resolve("initrd.img");
        Initramfs.write(initrd, BusyboxLocator.locate(KvmjCache.defaultRoot(System.getenv())).path(),
                kernel.modules(), INIT);
        GuestSpec base = GuestSpec.builder("bm").machine(MachineType.PC).accelerator(Accelerator.TCG).cpus(1)
                .memoryMiB(256).noReboot(true)
                .kernel(KernelBoot.of(kernel.kernel(), initrd, "console=ttyS0 panic=-1 quiet loglevel=0 rdinit=/init"))
                .build();
        Launcher launcher = Launcher.create(LaunchOptions.defaults());          // attached: qmp.sock stays free
        Launcher planner = Launcher.create(LaunchOptions.defaults().withDetached(true)); // server sockets only
        String tag = "bm" + ProcessHandle.current().pid() + "-";
        Guest g = launcher.launch(base.toBuilder().name(tag + "0").build());
        g.awaitConsole(READY, Duration.ofSeconds(600));
        MigrationSource source = MigrationSource.of(g);
        Guest kvmjGuest = g;
        Process rawDest = null;
        List<Figure> out = new ArrayList<>();
        int n = 0;
        try {
            for (String workload : List.of("idle", "dirtying 16 MiB tmpfs in a loop")) {
                if (!workload.equals("idle")) {
                    // the guest sits in a bare QEMU now: one unmeasured move into kvmj to reach its console
                    String name = tag + (++n);
                    Migration m = LiveMigration.toNewGuest(launcher, source, base.toBuilder().name(name).build(),
                            name, MigrationOptions.defaults(), MigrationListener.NONE);
                    m.await(Duration.ofMinutes(11));
                    kvmjGuest = m.destination().orElseThrow();
                    rawDest.waitFor(30, TimeUnit.SECONDS);
                    source = MigrationSource.of(kvmjGuest);
                    kvmjGuest.send("( while :; do dd if=/dev/zero of=/run/dirty bs=1M count=16 2>/dev/null; done )"
                            + " &\n");
                    Thread.sleep(2000);
                }
                double[][] k = new double[3][reps];
                double[][] b = new double[3][reps];
                int done = 0;
                boolean broken = false;
                for (int i = 0; i < reps && !broken; i++) {
                    try {
                        String name = tag + (++n);
                        long t0 = System.nanoTime();
                        Migration m = LiveMigration.toNewGuest(launcher, source,
                                base.toBuilder().name(name).build(), name,
                                MigrationOptions.defaults().withTimeout(Duration.ofMinutes(10)),
                                MigrationListener.NONE);
                        MigrationResult r = m.await(Duration.ofMinutes(11));
                        k[0][i] = (System.nanoTime() - t0) / 1e6;
                        k[1][i] = r.totalTimeMs();
                        k[2][i] = r.downtimeMs() == null ? -1 : r.downtimeMs();
                        if (rawDest != null) {
                            rawDest.waitFor(30, TimeUnit.SECONDS);
                        }
                        kvmjGuest = m.destination().orElseThrow();

                        Path scratch = Files.createTempDirectory("kvmj-bench-mig");
                        String rawName = tag + (++n);
                        RawMigration.Result rr = RawMigration.run(kvmjGuest.runtimeDir().qmpSocket(),
                                planner.plan(base.toBuilder().name(rawName).build()).argv(), scratch);
                        b[0][i] = rr.wallMs();
                        b[1][i] = rr.totalTimeMs();
                        b[2][i] = rr.downtimeMs();
                        kvmjGuest.kill(); // it quit after the raw migration; collect it
                        rawDest = rr.destination();
                        QmpClient qmp = QmpClient.connect(rr.destinationQmp()).get(30, TimeUnit.SECONDS);
                        Process p = rawDest;
                        source = new MigrationSource(rawName, qmp, () -> {
                            try {
                                qmp.call("quit", null, Duration.ofSeconds(10));
                            } catch (RuntimeException e) {
                                // QEMU may close the socket before replying
                            }
                            qmp.close();
                            p.destroy();
                        });
                        System.out.printf(Locale.ROOT, "migrate %s #%d: kvmj wall %.0f ms total %.0f down %.0f | raw "
                                + "wall %.0f ms total %.0f down %.0f%n", workload, i, k[0][i], k[1][i], k[2][i],
                                b[0][i], b[1][i], b[2][i]);
                        done = i + 1;
                    } catch (Exception e) {
                        ctx.note("migrate: " + workload + ", pair " + i + " failed, figures from the " + done
                                + " pairs before it: " + e.getMessage());
                        broken = true;
                    }
                }
                if (done == 0) {
                    break;
                }
                k = trim(k, done);
                b = trim(b, done);
                String note = String.format(Locale.ROOT, "median of %d alternating pairs on one guest (256 MiB, "
                        + "busybox, TCG), unix socket on this host, unlimited bandwidth, QEMU's default downtime "
                        + "limit; raw = bare QEMU with kvmj's argv + a minimal QMP script polling every 100 ms "
                        + "(kvmj polls every 250 ms)", done);
                out.add(Figure.time("migrate", "live migration, " + workload + ": wall (spawn destination to "
                        + "running)", median(k[0]), null, "ms", "raw QMP script, same guest", median(b[0]), null,
                        "TCG", note + "; kvmj also launches its destination with a runtime dir, QMP negotiation and "
                        + "machine pinning"));
                out.add(Figure.time("migrate", "live migration, " + workload + ": QEMU total-time",
                        median(k[1]), null, "ms", "raw QMP script, same guest", median(b[1]), null, "TCG", note));
                out.add(Figure.time("migrate", "live migration, " + workload + ": QEMU downtime",
                        median(k[2]), null, "ms", "raw QMP script, same guest", median(b[2]), null, "TCG", note));
                if (broken) {
                    break;
                }
            }
        } finally {
            try {
                source.end().run();
            } catch (RuntimeException e) {
                ctx.note("migrate: ending the last guest: " + e.getMessage());
            }
            if (kvmjGuest.isAlive()) {
                kvmjGuest.kill();
            }
            if (rawDest != null && rawDest.isAlive()) {
                rawDest.destroyForcibly();
            }
        }
        return out;
    }

    private static double[][] trim(double[][] v, int n) {
        double[][] out = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = Arrays.copyOf(v[i], n);
        }
        return out;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

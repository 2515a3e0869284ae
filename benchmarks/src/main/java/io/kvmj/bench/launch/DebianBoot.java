package io.kvmj.bench.launch;

import io.kvmj.bench.BareQemu;
import io.kvmj.bench.BenchContext;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Debian 12 guest of {@code kvmj img build}, boot to the guest agent's first answer: kvmj's
 * {@code Launcher.launch} + {@code Guest.awaitAgent} versus the bare QEMU with the very argv kvmj ran (runtime
 * directory moved to a scratch one), polled by the same agent client. Each boot starts from a fresh qcow2 overlay
 * on the same built image, so both sides boot the same disk state; pairs are interleaved.
 */
final class DebianBoot {
    private static final Duration BOOT = Duration.ofSeconds(900);

    private DebianBoot() {}

    static List<Figure> run(BenchContext ctx) {
        String problem = HostRequirements.problem(true);
        if (problem != null) {
            ctx.note("launch: Debian boot comparison absent: " + problem);
            return List.of();
        }
        int reps = ctx.profile().bootRepetitions();
        List<Figure> out = new ArrayList<>();
        Path work = null;
        try {
            work = ctx.workSubdir("debian-boot").toAbsolutePath();
            Path image = work.resolve("debian.qcow2");
            Files.deleteIfExists(image);
            DebianImageBuilder.create().build(ImageBuildSpec.builder(DebianRelease.DEBIAN_12, image)
                    .format(ImageFormat.QCOW2).size(ByteSize.ofGiB(4)).rootPassword(RootPassword.of("bench"))
                    .build(), BuildListener.NONE);
            Path scratch = Files.createTempDirectory("kvmj-bare-debian");
            Launcher launcher = Launcher.create(LaunchOptions.defaults().withReadyTimeout(Duration.ofSeconds(60)));
            double[] kvmj = new double[reps];
            double[] bare = new double[reps];
            double[] diff = new double[reps];
            String accel = "TCG";
            for (int i = 0; i < reps; i++) {
                Path k = overlay(image, work.resolve("k" + i + ".qcow2"));
                GuestSpec spec = spec("bench-debian-" + i, k);
                List<String> argv = launcher.plan(spec).argv();
                accel = argv.contains("kvm") ? "KVM" : "TCG";
                long t0 = System.nanoTime();
                try (Guest g = launcher.launch(spec)) {
                    try (QgaClient agent = g.awaitAgent(BOOT)) {
                        kvmj[i] = (System.nanoTime() - t0) / 1e6;
                    }
                    g.kill();
                }
                Files.deleteIfExists(k);
                Path b = overlay(image, work.resolve("b" + i + ".qcow2"));
                KvmjLaunch.Rewritten r = KvmjLaunch.rewrite(launcher.plan(spec("bench-debian-b" + i, b)).argv(),
                        scratch);
                bare[i] = bareToAgent(r, scratch);
                Files.deleteIfExists(b);
                diff[i] = kvmj[i] - bare[i];
            }
            double km = LaunchSuite.median(kvmj);
            double bm = LaunchSuite.median(bare);
            out.add(Figure.time("launch", "Debian 12 boot to guest-agent answer, Launcher.launch + awaitAgent", km,
                    null, "ms", "bare qemu, kvmj's argv, same agent polling", bm, null, accel,
                    String.format(Locale.ROOT, "median of %d interleaved pairs (%s), firmware boot from the disk "
                            + "(SeaBIOS, GRUB), 2 vCPUs, 1 GiB; pairs %s", reps, accel,
                            LaunchSuite.pairs(kvmj, bare))));
            out.add(Figure.plain("launch", "Debian 12 boot: launcher overhead (median of paired differences)",
                    LaunchSuite.median(diff), "ms", true, accel, "a TCG boot varies by seconds between runs: "
                            + "read the ratio, not the difference"));
            deleteAll(scratch);
        } catch (Exception e) {
            ctx.note("launch: Debian boot comparison failed: " + e);
        } finally {
            if (work != null) {
                deleteAll(work);
            }
        }
        return out;
    }

    private static GuestSpec spec(String name, Path disk) {
        return GuestSpec.builder(name).accelerator(Accelerator.AUTO).cpus(2).memoryMiB(1024)
                .disk(DiskSpec.file("root", disk).format(DiskFormat.QCOW2).bus(DiskBus.VIRTIO_BLK).build())
                .nic(NicSpec.user("net0")).build();
    }

    /** A fresh qcow2 overlay on {@code base} (backing format given). */
    static Path overlay(Path base, Path overlay) throws IOException, InterruptedException {
        Files.deleteIfExists(overlay);
        Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b",
                base.toString(), overlay.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("qemu-img create of " + overlay + " failed");
        }
        return overlay;
    }

    /** Spawns the rewritten argv (listening for its client QMP first), ms until the agent answers a sync. */
    private static double bareToAgent(KvmjLaunch.Rewritten r, Path scratch) throws Exception {
        Path agentSock = scratch.resolve("qga.sock");
        long t0 = System.nanoTime();
        try (BareQemu q = BareQemu.startClient(r.argv(), r.clientQmp(), Duration.ofSeconds(60))) {
            while (!Files.exists(agentSock)) {
                Thread.sleep(1);
            }
            try (QgaClient agent = QgaClient.open(agentSock)) {
                agent.awaitAgent(BOOT);
                return (System.nanoTime() - t0) / 1e6;
            }
        }
    }

    static void deleteAll(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}

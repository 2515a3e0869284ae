package io.kvmj.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * Where and with what a benchmark run happened; heads every result file.
 *
 * @param date        UTC start of the run (ISO-8601)
 * @param cpuModel    "model name" from /proc/cpuinfo
 * @param cpus        logical CPUs available to the JVM
 * @param kernel      host kernel release
 * @param jdk         JDK vendor and version running the benchmarks
 * @param qemuVersion first line of {@code qemu-system-x86_64 --version}
 * @param accelerator accelerator used for guest figures, with the reason
 * @param profile     benchmark profile (quick or full)
 */
public record HostInfo(String date, String cpuModel, int cpus, String kernel, String jdk, String qemuVersion,
                       String accelerator, String profile) {

    /** The accelerator every guest figure of this harness uses. */
    public static final String GUEST_ACCEL = "TCG";

    /** Probes the running host. */
    public static HostInfo detect(String profile) {
        String accel = GUEST_ACCEL + " for every guest figure"
                + (hasHardwareVirt() ? "" : " (no vmx/svm in /proc/cpuinfo; /dev/kvm answers ioctls only)")
                + "; host-only figures run no guest";
        return new HostInfo(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), readCpuModel(),
                Runtime.getRuntime().availableProcessors(), read(Path.of("/proc/sys/kernel/osrelease")),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                readQemuVersion(), accel, profile);
    }

    static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }

    static boolean hasHardwareVirt() {
        try {
            String s = Files.readString(Path.of("/proc/cpuinfo"));
            return s.matches("(?s).*\\b(vmx|svm)\\b.*");
        } catch (IOException e) {
            return false;
        }
    }

    static String readQemuVersion() {
        try {
            Process p = new ProcessBuilder("qemu-system-x86_64", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("unknown").trim();
        } catch (IOException e) {
            return "not installed (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}

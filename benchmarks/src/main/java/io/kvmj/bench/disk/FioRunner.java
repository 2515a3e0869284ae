package io.kvmj.bench.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs fio on the benchmark's file with the same flags, as the ceiling for {@link HostDiskBenchmark}. */
public final class FioRunner {

    private FioRunner() {
    }

    /** True when {@code fio} runs. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("fio", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The fio argv for one cache mode and pattern on {@code file} ({@code sizeBytes} long). */
    public static List<String> argv(Path file, long sizeBytes, CacheMode mode, WritePattern pattern,
                                    int rampSeconds, int runtimeSeconds) {
        List<String> a = new ArrayList<>(List.of("fio", "--name=" + mode.qemuName() + "-" + pattern.name().toLowerCase(),
                "--filename=" + file, "--size=" + sizeBytes, "--rw=" + pattern.fioRw(),
                "--bs=" + pattern.blockSize(), "--ioengine=psync", "--iodepth=1", "--numjobs=1",
                "--norandommap", "--randrepeat=0", "--time_based", "--ramp_time=" + rampSeconds,
                "--runtime=" + runtimeSeconds, "--end_fsync=0", "--invalidate=0", "--output-format=json"));
        a.addAll(mode.fioOptions());
        return a;
    }

    /** Runs fio with {@code argv} and parses its result. */
    public static FioResult run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("fio timed out: " + String.join(" ", argv));
        }
        String s = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("fio exited " + p.exitValue() + ": " + s.strip() + "\nargv: " + String.join(" ", argv));
        }
        return FioResult.parse(s);
    }
}

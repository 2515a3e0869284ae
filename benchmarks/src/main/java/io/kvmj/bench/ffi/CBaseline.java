package io.kvmj.bench.ffi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The raw C baseline: compiles {@code kvm_ioctl_loop.c} (a resource) with gcc, as a program that runs in its own
 * process ({@link #compile}, {@link #runCompiled}) and as a shared library that runs inside the benchmark JVM
 * ({@link #compileLibrary}, {@link InProcessLoop}), and parses the ns per {@code KVM_CHECK_EXTENSION} call.
 */
public final class CBaseline {

    private static final Pattern LINE = Pattern.compile("^rep=(\\d+) calls=(\\d+) ns_per_call=([0-9.]+) result=(-?\\d+)$");

    /**
     * What the C loop measured.
     *
     * @param nsPerCall   ns per call of every repetition
     * @param result      the ioctl's return value (the capability's answer)
     */
    public record Result(List<Double> nsPerCall, int result) {
        public Result {
            nsPerCall = List.copyOf(nsPerCall);
        }

        /** Median ns per call over the repetitions. */
        public double medianNs() {
            double[] a = nsPerCall.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int n = a.length;
            return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
        }
    }

    private CBaseline() {
    }

    /** Parses the program's standard output. */
    public static Result parse(String stdout) {
        List<Double> ns = new ArrayList<>();
        int result = Integer.MIN_VALUE;
        for (String line : stdout.split("\\R")) {
            Matcher m = LINE.matcher(line.trim());
            if (m.matches()) {
                ns.add(Double.parseDouble(m.group(3)));
                result = Integer.parseInt(m.group(4));
            }
        }
        if (ns.isEmpty()) {
            throw new IllegalArgumentException("no 'rep=… ns_per_call=…' line in C baseline output: " + stdout);
        }
        return new Result(ns, result);
    }

    /** Compiles the C loop with gcc -O2 into {@code dir} and returns the executable. */
    public static Path compile(Path dir) throws IOException, InterruptedException {
        Path exe = dir.resolve("kvm_ioctl_loop");
        run(List.of("gcc", "-O2", "-o", exe.toString(), source(dir).toString()), 120);
        return exe;
    }

    /**
     * Compiles the same C loop with gcc -O2 as a shared library ({@code kvmj_ioctl_loop()}) into {@code dir} and
     * returns it; {@link InProcessLoop} loads it into the benchmark JVM.
     */
    public static Path compileLibrary(Path dir) throws IOException, InterruptedException {
        Path lib = dir.resolve("libkvm_ioctl_loop.so");
        run(List.of("gcc", "-O2", "-shared", "-fPIC", "-DKVMJ_LIBRARY", "-o", lib.toString(),
                source(dir).toString()), 120);
        return lib;
    }

    /** Copies the C source from the jar into {@code dir} (once). */
    private static Path source(Path dir) throws IOException {
        Path src = dir.resolve("kvm_ioctl_loop.c");
        if (Files.exists(src)) {
            return src;
        }
        try (InputStream in = CBaseline.class.getResourceAsStream("kvm_ioctl_loop.c")) {
            if (in == null) {
                throw new IOException("resource kvm_ioctl_loop.c missing from the benchmarks jar");
            }
            Files.copy(in, src);
        }
        return src;
    }

    /** Runs an already compiled loop. */
    public static Result runCompiled(Path exe, long calls, int repetitions, int capability)
            throws IOException, InterruptedException {
        return parse(run(List.of(exe.toString(), Long.toString(calls), Integer.toString(repetitions),
                Integer.toString(capability)), 600));
    }

    /** Median of a list of values. */
    public static double median(List<Double> values) {
        return new Result(values, 0).medianNs();
    }

    /** Compiles and runs the loop: {@code calls} ioctls per repetition. */
    public static Result measure(long calls, int repetitions, int capability) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("kvmj-cbaseline");
        try {
            Path exe = compile(dir);
            return parse(run(List.of(exe.toString(), Long.toString(calls), Integer.toString(repetitions),
                    Integer.toString(capability)), 600));
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static String run(List<String> argv, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + argv);
        }
        String s = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + " from " + String.join(" ", argv) + ": " + s.trim());
        }
        return s;
    }

}

package io.kvmj.bench.disk;

import io.kvmj.bench.BenchContext;
import io.kvmj.bench.Cmd;
import io.kvmj.bench.JmhResults;
import io.kvmj.bench.Suite;
import io.kvmj.bench.report.Figure;
import io.kvmj.core.ffi.Posix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;

/**
 * Host disk suite: for every cache mode and write pattern, the JMH pwrite loop through the project's FFI
 * and then fio with the same flags on the same preallocated file (fio is the ceiling).
 */
public final class HostDiskSuite implements Suite {

    @Override
    public String id() {
        return "hostdisk";
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        if (!FioRunner.available()) {
            ctx.note("hostdisk: fio is not installed (apt-get install fio); host disk suite skipped");
            return List.of();
        }
        Path dir = ctx.workSubdir("hostdisk");
        Path file = dir.resolve("hostdisk.raw");
        long size = (long) ctx.profile().hostFileMiB() << 20;
        Files.deleteIfExists(file);
        Cmd.run(List.of("qemu-img", "create", "-q", "-f", "raw", "-o", "preallocation=full", file.toString(),
                Long.toString(size)), 600);
        String backend = PosixIos.get().name();
        boolean direct = directSupported(file);
        if (!direct) {
            ctx.note("hostdisk: " + dir.toAbsolutePath() + " does not support O_DIRECT; none/directsync skipped");
        }
        List<Figure> out = new ArrayList<>();
        try {
            for (WritePattern pattern : WritePattern.values()) {
                for (CacheMode mode : CacheMode.values()) {
                    if (!direct && (mode.openFlags() & Posix.O_DIRECT) != 0) {
                        continue;
                    }
                    String tag = mode.qemuName() + "-" + pattern.name().toLowerCase(Locale.ROOT);
                    Path fioOut = dir.resolve("fio-" + tag + ".jsonl");
                    Files.deleteIfExists(fioOut);
                    Cmd.run(List.of("sync"), 300);
                    JmhResults jmh = new JmhResults(ctx.runJmh("hostdisk-" + tag,
                            HostDiskBenchmark.class.getName() + "\\.",
                            Map.of(HostDiskBenchmark.FILE_PROPERTY, file.toAbsolutePath().toString(),
                                    HostDiskBenchmark.FIO_OUT_PROPERTY, fioOut.toAbsolutePath().toString(),
                                    HostDiskBenchmark.FIO_SECONDS_PROPERTY,
                                    Integer.toString(ctx.profile().iterationSeconds())),
                            b -> b.param("mode", mode.name()).param("pattern", pattern.name())));
                    RunResult r = jmh.find("write", Map.of("mode", mode.name(), "pattern", pattern.name())).orElse(null);
                    FioResult fio = null;
                    List<FioResult> fios = readFio(fioOut);
                    Files.deleteIfExists(fioOut);
                    if (fios.isEmpty()) {
                        ctx.note("hostdisk: no fio result for " + tag);
                    } else {
                        fio = median(fios);
                    }
                    if (r == null) {
                        ctx.note("hostdisk: JMH produced no result for " + tag);
                        continue;
                    }
                    double iops = JmhResults.score(r);
                    Double err = JmhResults.error(r);
                    double mb = iops * pattern.blockSize() / 1e6;
                    String name = pattern.label() + ", cache=" + mode.qemuName() + " (" + mode.describe() + ")";
                    if (fio == null) {
                        out.add(Figure.plain("hostdisk", name, mb, "MB/s", false, "host",
                                String.format(Locale.ROOT, "%.0f IOPS; via %s", iops, backend)));
                    } else {
                        out.add(Figure.throughput("hostdisk", name, mb,
                                err == null ? null : err * pattern.blockSize() / 1e6, "MB/s", "fio psync, interleaved",
                                fio.mbPerSec(), null, "host",
                                String.format(Locale.ROOT, "IOPS %.0f vs fio %.0f (median of %d fio runs, one before each JMH measurement iteration); via %s",
                                        iops, fio.iops(), fios.size(), backend)));
                    }
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return out;
    }

    /** fio results appended by the forks, one per measurement iteration. */
    static List<FioResult> readFio(Path jsonl) throws java.io.IOException {
        if (!Files.exists(jsonl)) {
            return List.of();
        }
        List<FioResult> kept = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            if (!line.isBlank()) {
                kept.add(FioResult.fromJsonLine(line));
            }
        }
        return kept;
    }

    /** The run with the median bandwidth. */
    static FioResult median(List<FioResult> runs) {
        List<FioResult> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(FioResult::bytesPerSec));
        return sorted.get(sorted.size() / 2);
    }

    private static boolean directSupported(Path file) {
        PosixIo io = PosixIos.get();
        int fd = io.open(file.toAbsolutePath().toString(), CacheMode.NONE.openFlags(), 0);
        if (fd < 0) {
            return false;
        }
        io.close(fd);
        return true;
    }
}

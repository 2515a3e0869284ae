package io.kvmj.bench.disk;

import io.kvmj.bench.BenchContext;
import io.kvmj.bench.Cmd;
import io.kvmj.bench.Suite;
import io.kvmj.bench.report.Figure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code qemu-img create -f raw -o preallocation=off|falloc|full} wall time and allocated size
 * ({@code stat} blocks), beside the figures of the disk-virtualisation article (10 GiB on its machine:
 * 0.04 s / 8.3 s / 23 s, du 0 / 11 G / 11 G).
 */
public final class ImageCreateSuite implements Suite {

    /** Preallocation mode, article create time (s) and article du (GiB) for 10 GiB. */
    record Mode(String name, double articleSeconds, String articleDu) {
    }

    static final List<Mode> MODES = List.of(new Mode("off", 0.040, "0"), new Mode("falloc", 8.256, "11G"),
            new Mode("full", 22.955, "11G"));

    @Override
    public String id() {
        return "imgcreate";
    }

    @Override
    public List<Figure> run(BenchContext ctx) throws Exception {
        Path dir = ctx.workSubdir("imgcreate");
        int gib = ctx.profile().imageGiB();
        List<Figure> out = new ArrayList<>();
        for (Mode m : MODES) {
            Path img = dir.resolve("create-" + m.name() + ".raw");
            double[] secs = new double[ctx.profile().imageRepetitions()];
            long allocated = 0;
            for (int i = 0; i < secs.length; i++) {
                Files.deleteIfExists(img);
                Cmd.run(List.of("sync"), 300);
                long t0 = System.nanoTime();
                Cmd.run(List.of("qemu-img", "create", "-q", "-f", "raw", "-o", "preallocation=" + m.name(),
                        img.toString(), gib + "G"), 3600);
                secs[i] = (System.nanoTime() - t0) / 1e9;
                allocated = allocatedBytes(img);
                Files.deleteIfExists(img);
            }
            Arrays.sort(secs);
            double median = secs[secs.length / 2];
            String article = "article, 10 GiB on its machine: " + m.articleSeconds() + " s, du " + m.articleDu();
            out.add(Figure.plain("imgcreate", "raw " + gib + " GiB, preallocation=" + m.name() + ": create time",
                    median, "s", true, "host", "median of " + secs.length + "; " + article));
            out.add(Figure.plain("imgcreate", "raw " + gib + " GiB, preallocation=" + m.name() + ": allocated",
                    allocated / (double) (1L << 30), "GiB", true, "host",
                    String.format(Locale.ROOT, "stat blocks × 512 = %d bytes; %s", allocated, article)));
        }
        return out;
    }

    /** Allocated bytes (st_blocks × 512) of a file, via stat(1). */
    static long allocatedBytes(Path p) throws Exception {
        String[] parts = Cmd.run(List.of("stat", "-c", "%b %B", p.toString()), 30).trim().split("\\s+");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }
}

package io.kvmj.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kvmj.bench.disk.HostDiskSuite;
import io.kvmj.bench.disk.ImageCreateSuite;
import io.kvmj.bench.ffi.FfiSuite;
import io.kvmj.bench.guest.GuestDiskSuite;
import io.kvmj.bench.guestio.GuestIoSuite;
import io.kvmj.bench.launch.LaunchSuite;
import io.kvmj.bench.qmp.QmpSuite;
import io.kvmj.bench.report.BenchReport;
import io.kvmj.bench.report.ChartReport;
import io.kvmj.bench.report.Figure;
import io.kvmj.bench.report.HostInfo;
import io.kvmj.bench.report.MarkdownReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs the kvmj benchmarks and writes {@code jmh.json}, {@code results.json}, {@code RESULTS.md} and
 * {@code RESULTS.png}.
 *
 * <pre>
 * java -jar benchmarks/target/kvmj-benchmarks.jar [--profile quick|full] [--only REGEX]
 *      [--out DIR] [--work DIR] [--list]
 * </pre>
 * {@code --only} selects suites whose id matches (ffi, qmp, hostdisk, imgcreate, guestdisk, guestio, launch, launchpeers,
 * migrate).
 * Exit code 0 when the run completed (skipped suites are noted in the report), 2 on bad usage.
 */
public final class BenchMain {

    private BenchMain() {
    }

    /** All suites in report order. */
    static List<Suite> suites() {
        return List.of(new FfiSuite(), new QmpSuite(), new HostDiskSuite(), new ImageCreateSuite(),
                new GuestDiskSuite(), new GuestIoSuite(), new LaunchSuite(), new io.kvmj.bench.launch.LibvirtLaunch(),
                new io.kvmj.bench.launch.MigrationSuite());
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        String profileName = "quick";
        String only = ".*";
        Path out = Path.of("benchmarks", "results");
        Path work = Path.of("benchmarks", "work");
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--profile" -> profileName = args[++i];
                    case "--only" -> only = args[++i];
                    case "--out" -> out = Path.of(args[++i]);
                    case "--work" -> work = Path.of(args[++i]);
                    case "--list" -> {
                        suites().forEach(s -> System.out.println(s.id()));
                        return;
                    }
                    case "-h", "--help" -> {
                        usage();
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            System.err.println("kvmj-benchmarks: " + (e instanceof ArrayIndexOutOfBoundsException
                    ? "missing value after " + args[args.length - 1] : e.getMessage()));
            usage();
            System.exit(2);
        }
        Profile profile;
        try {
            profile = Profile.of(profileName);
        } catch (IllegalArgumentException e) {
            System.err.println("kvmj-benchmarks: " + e.getMessage());
            System.exit(2);
            return;
        }
        Pattern select = Pattern.compile(only);
        Files.createDirectories(out);
        Files.createDirectories(work);
        String fsType = Files.getFileStore(work).type();
        if ("tmpfs".equals(fsType) || "ramfs".equals(fsType)) {
            System.err.println("kvmj-benchmarks: work directory " + work.toAbsolutePath() + " is on " + fsType
                    + ", which has no O_DIRECT; pass --work DIR on a real disk");
            System.exit(2);
        }

        HostInfo host = HostInfo.detect(profile.name());
        BenchContext ctx = new BenchContext(profile, out, work);
        List<Figure> figures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (Suite s : suites()) {
            if (!select.matcher(s.id()).find()) {
                continue;
            }
            long ts = System.nanoTime();
            System.out.println("==> suite " + s.id());
            try {
                figures.addAll(s.run(ctx));
            } catch (Exception | LinkageError e) {
                ctx.note("suite " + s.id() + " failed: " + e);
                e.printStackTrace();
            }
            System.out.printf("<== suite %s done in %.1f s%n", s.id(), (System.nanoTime() - ts) / 1e9);
        }
        System.out.printf("all suites done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        BenchReport report = new BenchReport(host, figures, ctx.notes());
        write(report, ctx, out);
        System.out.println(MarkdownReport.render(report));
        System.out.println("results written to " + out.toAbsolutePath());
    }

    static void write(BenchReport report, BenchContext ctx, Path out) throws IOException {
        ArrayNode merged = BenchReport.JSON.createArrayNode();
        for (Path p : ctx.jmhFiles()) {
            JsonNode n = BenchReport.JSON.readTree(p.toFile());
            if (n != null && n.isArray()) {
                merged.addAll((ArrayNode) n);
            }
        }
        BenchReport.JSON.writeValue(out.resolve("jmh.json").toFile(), merged);
        for (Path p : ctx.jmhFiles()) {
            Files.deleteIfExists(p);   // merged into jmh.json
        }
        report.writeJson(out.resolve("results.json"));
        Files.writeString(out.resolve("RESULTS.md"), MarkdownReport.render(report));
        ChartReport.write(report, out.resolve("RESULTS.png"));
    }

    private static void usage() {
        System.err.println("usage: kvmj-benchmarks [--profile quick|full] [--only REGEX] [--out DIR] [--work DIR] [--list]");
        System.err.println("  suites: " + String.join(", ", suites().stream().map(Suite::id).toList()));
    }
}

package io.kvmj.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkdownReportTest {

    static BenchReport sample() {
        HostInfo h = new HostInfo("2026-11-22T04:40:00Z", "AMD EPYC", 2, "6.1", "Temurin 17", "QEMU emulator version 7.2.22",
                "TCG for every guest figure", "quick");
        return new BenchReport(h, List.of(
                Figure.time("ffi", "JNA direct", 260, 5.0, "ns/call", "raw C loop", 240, 1.3, "host", null),
                Figure.throughput("hostdisk", "4 KiB random, none", 40, null, "MB/s", "fio", 50, null, "host", "x|y"),
                Figure.time("qmp", "p50", 330, null, "µs", "minimal", 290, 1.1, "host", null),
                Figure.plain("guestdisk", "raw, dd fsync", 123.4, "MB/s", false, "TCG", "TCG guest"),
                Figure.withValueTarget("launch", "launcher overhead", 12.5, "ms", 30, "host", null)),
                List.of("guestdisk: something skipped"));
    }

    @Test
    void headerRatiosFirstThenAllFiguresAndNotes() {
        String md = MarkdownReport.render(sample());
        assertTrue(md.contains("| QEMU | QEMU emulator version 7.2.22 |"), md);
        assertTrue(md.contains("| accelerator | TCG for every guest figure |"), md);
        assertTrue(md.contains("| CPU | AMD EPYC (2 logical CPUs) |"), md);
        int targets = md.indexOf("## Targets");
        int ratios = md.indexOf("## Ratios");
        int all = md.indexOf("## All figures");
        assertTrue(targets > 0 && ratios > targets && all > ratios, "targets, then ratios, then all figures");
        String targetTable = md.substring(targets, ratios);
        assertTrue(targetTable.contains("| launch | launcher overhead | **12.50 ms** | ≤ 30.00 ms met |"), targetTable);
        assertTrue(targetTable.contains("| ffi | JNA direct | **1.08×** | ≤ 1.30× met |"), targetTable);
        assertTrue(targetTable.contains("| qmp | p50 | **1.14×** | ≤ 1.10× missed |"), targetTable);
        assertTrue(!targetTable.contains("hostdisk"), "figures without target stay out of the target table");
        assertTrue(md.contains("| ffi | JNA direct | **1.08×** | ≤ 1.30× met | 260.0 ns/call | 240.0 ns/call (raw C loop) | host |"), md);
        assertTrue(md.contains("| hostdisk | 4 KiB random, none | **1.25×** |"), "throughput ratio is baseline/value: " + md);
        assertTrue(md.contains("≤ 1.10× missed"), md);
        assertTrue(md.contains("x\\|y"), "pipes in notes are escaped");
        assertTrue(md.contains("| raw, dd fsync | 123.4 MB/s |"), md);
        assertTrue(md.indexOf("## Notes") > all && md.contains("- guestdisk: something skipped"), md);
        String guestRows = md.substring(md.indexOf("Guest disk"));
        assertTrue(guestRows.contains("| TCG |"), "guest figures name their accelerator");
    }

    @Test
    void jsonRoundTripKeepsEveryFigure(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("results.json");
        sample().writeJson(f);
        BenchReport back = BenchReport.readJson(f);
        assertEquals(sample(), back);
    }

    @Test
    void chartRendersHeaderAndPanels(@TempDir Path dir) throws Exception {
        BufferedImage img = ChartReport.render(sample());
        assertTrue(img.getWidth() >= 1000 && img.getHeight() > 500, img.getWidth() + "x" + img.getHeight());
        ChartReport.write(sample(), dir.resolve("r.png"));
        assertTrue(dir.resolve("r.png").toFile().length() > 10_000);
    }

    @Test
    void chartLabelsAreFullAndUnique() {
        List<String> l = ChartReport.labels(List.of("a", "a", "x".repeat(60)));
        assertEquals("a", l.get(0));
        assertEquals("a #2", l.get(1));
        assertEquals("x".repeat(60), l.get(2));
    }
}

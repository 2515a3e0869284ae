package io.kvmj.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * Draws the result charts: one horizontal bar chart per suite, every label in full. A suite with same-run
 * baselines shows each figure's ratio on a log axis, the bar running from the baseline (1.0×) to the ratio
 * (left = faster, right = slower), the target as a red line, bars coloured by peer ({@link Figure#series()});
 * a suite without baselines shows its values in its most common unit.
 *
 * <pre>
 * ChartReport.write(report, Path.of("benchmarks/results/RESULTS.png"));   // all suites, plus RESULTS-SUITE.png each
 * </pre>
 */
public final class ChartReport {

    private static final int WIDTH = 1500;
    private static final int ROW_H = 24;
    private static final int HEADER_H = 110;
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    /** Peer colours; figures without a series are kvmj's own. */
    private static final Map<String, Color> COLOURS = Map.of(
            "kvmj", new Color(0x1f77b4),
            "minimal Java", new Color(0x7f7f7f),
            "go-qemu", new Color(0x17becf),
            "Python", new Color(0xff7f0e),
            "libvirt", new Color(0x9467bd),
            "control", new Color(0xbcbcbc),
            "bare QEMU", new Color(0x2ca02c));
    private static final Color OTHER = new Color(0x8c564b);
    private static final Color TARGET = new Color(0xd62728);

    private ChartReport() {
    }

    /** Renders all suites into {@code png} and each suite into {@code RESULTS-<suite>.png} beside it. */
    public static void write(BenchReport report, Path png) throws IOException {
        ImageIO.write(render(report), "png", png.toFile());
        String base = png.getFileName().toString().replaceFirst("\\.png$", "");
        for (Map.Entry<String, List<Figure>> e : bySuite(report).entrySet()) {
            ImageIO.write(suiteChart(e.getKey(), e.getValue()), "png",
                    png.resolveSibling(base + "-" + e.getKey() + ".png").toFile());
        }
    }

    /** Renders the report into one image: the host header, then one chart per suite, top to bottom. */
    public static BufferedImage render(BenchReport report) {
        List<BufferedImage> charts = bySuite(report).entrySet().stream()
                .map(e -> suiteChart(e.getKey(), e.getValue())).toList();
        int h = HEADER_H + charts.stream().mapToInt(BufferedImage::getHeight).sum() + 40;
        BufferedImage out = new BufferedImage(WIDTH, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(out);
        HostInfo host = report.host();
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        g.drawString("kvmj benchmarks (" + host.profile() + " profile) — " + host.date()
                + "   ratio = slowdown vs same-run baseline, lower is better", 16, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString("CPU: " + host.cpuModel() + " (" + host.cpus() + " CPUs)   kernel " + host.kernel() + "   JDK: "
                + host.jdk(), 16, 56);
        g.drawString("QEMU: " + host.qemuVersion(), 16, 78);
        g.drawString("Accelerator: " + host.accelerator(), 16, 100);
        int y = HEADER_H;
        for (BufferedImage c : charts) {
            g.drawImage(c, 0, y, null);
            y += c.getHeight();
        }
        if (charts.isEmpty()) {
            g.drawString("No figures in this run.", 16, HEADER_H + 30);
        }
        g.dispose();
        return out;
    }

    private static Map<String, List<Figure>> bySuite(BenchReport report) {
        return report.figures().stream()
                .collect(Collectors.groupingBy(Figure::suite, LinkedHashMap::new, Collectors.toList()));
    }

    /** One suite's chart: ratios when the suite has baselines, else values in its most common unit. */
    static BufferedImage suiteChart(String suite, List<Figure> figures) {
        List<Figure> ratios = figures.stream().filter(f -> f.ratio() != null && f.ratio() > 0).toList();
        return ratios.isEmpty() ? valueChart(suite, figures) : ratioChart(suite, ratios);
    }

    private static BufferedImage ratioChart(String suite, List<Figure> fs) {
        List<String> labels = labels(fs.stream().map(Figure::name).toList());
        List<String> texts = fs.stream().map(f -> String.format(Locale.ROOT, "%s  (%s vs %s)", ratio(f.ratio()),
                num(f.value(), f.unit()), num(f.baselineValue(), f.unit()))).toList();
        double lo = 1;
        double hi = 1;
        for (Figure f : fs) {
            lo = Math.min(lo, f.ratio());
            hi = Math.max(hi, f.ratio());
            if (f.target() != null) {
                hi = Math.max(hi, f.target());
            }
        }
        double axisLo = Math.pow(2, Math.floor(Math.log(lo) / Math.log(2) - 0.25));
        double axisHi = Math.pow(2, Math.ceil(Math.log(hi) / Math.log(2) + 0.25));
        Layout l = layout(labels, texts, fs);
        BufferedImage img = new BufferedImage(WIDTH, l.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        g.drawString(suite + ": slowdown vs the same-run baseline (log scale; 1.0× = baseline, left = faster, "
                + "right = slower; red = target)", 12, 22);
        g.setFont(LABEL);
        FontMetrics fm = g.getFontMetrics();
        double span = Math.log(axisHi / axisLo);
        java.util.function.DoubleToIntFunction x = r -> l.barX + (int) Math.round(
                Math.log(r / axisLo) / span * l.barW);
        // grid: powers of two, and 1.0 in black
        for (double t = axisLo; t <= axisHi * 1.0001; t *= 2) {
            int gx = x.applyAsInt(t);
            g.setColor(Math.abs(t - 1) < 1e-9 ? Color.BLACK : new Color(0xdddddd));
            g.drawLine(gx, l.top - 4, gx, l.top + fs.size() * ROW_H);
            g.setColor(Color.DARK_GRAY);
            String s = ratio(t);
            g.drawString(s, gx - fm.stringWidth(s) / 2, l.top + fs.size() * ROW_H + 16);
        }
        for (int i = 0; i < fs.size(); i++) {
            Figure f = fs.get(i);
            int y = l.top + i * ROW_H;
            g.setColor(Color.BLACK);
            g.drawString(labels.get(i), l.barX - 8 - fm.stringWidth(labels.get(i)), y + ROW_H - 8);
            int x1 = x.applyAsInt(1);
            int x2 = x.applyAsInt(f.ratio());
            g.setColor(colour(f));
            g.fillRect(Math.min(x1, x2), y + 4, Math.max(2, Math.abs(x2 - x1)), ROW_H - 8);
            if (f.target() != null) {
                int tx = x.applyAsInt(f.target());
                g.setColor(TARGET);
                g.setStroke(new BasicStroke(3));
                g.drawLine(tx, y, tx, y + ROW_H);
                g.setStroke(new BasicStroke(1));
            }
            g.setColor(Boolean.FALSE.equals(f.meetsTarget()) ? TARGET : Color.BLACK);
            g.drawString(texts.get(i) + (f.target() == null ? "" : f.meetsTarget() ? "  target met" : "  MISSED"),
                    Math.max(x1, x2) + 6, y + ROW_H - 8);
        }
        legend(g, fs, l);
        g.dispose();
        return img;
    }

    private static BufferedImage valueChart(String suite, List<Figure> figures) {
        Map<String, Long> units = figures.stream()
                .collect(Collectors.groupingBy(Figure::unit, LinkedHashMap::new, Collectors.counting()));
        String unit = units.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
        List<Figure> fs = figures.stream().filter(f -> unit.equals(f.unit())).toList();
        List<String> labels = labels(fs.stream().map(Figure::name).toList());
        List<String> texts = fs.stream().map(f -> num(f.value(), f.unit())).toList();
        double max = fs.stream().mapToDouble(f -> Math.max(f.value(), f.valueTarget() == null ? 0 : f.valueTarget()))
                .max().orElse(1);
        Layout l = layout(labels, texts, fs);
        BufferedImage img = new BufferedImage(WIDTH, l.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        g.drawString(suite + " (" + unit + "; no same-run baseline)", 12, 22);
        g.setFont(LABEL);
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < fs.size(); i++) {
            Figure f = fs.get(i);
            int y = l.top + i * ROW_H;
            g.setColor(Color.BLACK);
            g.drawString(labels.get(i), l.barX - 8 - fm.stringWidth(labels.get(i)), y + ROW_H - 8);
            int w = max > 0 ? (int) Math.round(f.value() / max * l.barW) : 0;
            g.setColor(colour(f));
            g.fillRect(l.barX, y + 4, Math.max(2, w), ROW_H - 8);
            if (f.valueTarget() != null) {
                int tx = l.barX + (int) Math.round(f.valueTarget() / max * l.barW);
                g.setColor(TARGET);
                g.setStroke(new BasicStroke(3));
                g.drawLine(tx, y, tx, y + ROW_H);
                g.setStroke(new BasicStroke(1));
            }
            g.setColor(Color.BLACK);
            g.drawString(texts.get(i), l.barX + w + 6, y + ROW_H - 8);
        }
        g.setColor(Color.BLACK);
        g.drawLine(l.barX, l.top - 4, l.barX, l.top + fs.size() * ROW_H);
        legend(g, fs, l);
        g.dispose();
        return img;
    }

    /** Label column as wide as the longest label, bar area the rest minus room for the value texts. */
    private record Layout(int barX, int barW, int top, int height) {
    }

    private static Layout layout(List<String> labels, List<String> texts, List<Figure> fs) {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = probe.createGraphics();
        g.setFont(LABEL);
        FontMetrics fm = g.getFontMetrics();
        int labelW = labels.stream().mapToInt(fm::stringWidth).max().orElse(0);
        int textW = texts.stream().mapToInt(fm::stringWidth).max().orElse(0) + fm.stringWidth("  target met");
        g.dispose();
        int barX = Math.min(labelW + 24, WIDTH / 2 + 150);
        int barW = Math.max(200, WIDTH - barX - textW - 24);
        int top = 40;
        return new Layout(barX, barW, top, top + fs.size() * ROW_H + 60);
    }

    private static void legend(Graphics2D g, List<Figure> fs, Layout l) {
        Set<String> series = new LinkedHashSet<>();
        fs.forEach(f -> series.add(f.series() == null ? "kvmj" : f.series()));
        int x = 12;
        int y = l.height - 14;
        FontMetrics fm = g.getFontMetrics();
        for (String s : series) {
            g.setColor(COLOURS.getOrDefault(s, OTHER));
            g.fillRect(x, y - 11, 14, 12);
            g.setColor(Color.BLACK);
            g.drawString(s, x + 18, y);
            x += 18 + fm.stringWidth(s) + 24;
        }
        if (fs.stream().anyMatch(Figure::hasTarget)) {
            g.setColor(TARGET);
            g.setStroke(new BasicStroke(3));
            g.drawLine(x + 6, y - 12, x + 6, y + 2);
            g.setStroke(new BasicStroke(1));
            g.drawString("target", x + 14, y);
        }
    }

    private static Color colour(Figure f) {
        return COLOURS.getOrDefault(f.series() == null ? "kvmj" : f.series(), OTHER);
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, r >= 10 ? "%.1f×" : "%.2f×", r);
    }

    private static String num(Double v, String unit) {
        if (v == null) {
            return "–";
        }
        double a = Math.abs(v);
        String s = a >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : a >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : a >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        return s + " " + unit;
    }

    /** Full, unique category labels (a repeated name gets " #2", " #3"; nothing is cut). */
    static List<String> labels(List<String> names) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (String n : names) {
            String u = n;
            for (int i = 2; !seen.add(u); i++) {
                u = n + " #" + i;
            }
            out.add(u);
        }
        return out;
    }
}

package io.kvmj.bench.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws {@code RESULTS.png} with XChart: a header, the ratio-to-baseline panel first, then one panel per
 * suite (value beside the same-run baseline, in the suite's most common unit).
 */
public final class ChartReport {

    private static final int PANEL_W = 900;
    private static final int PANEL_H = 520;
    private static final int HEADER_H = 110;

    private ChartReport() {
    }

    /** Renders the report and writes it as PNG. */
    public static void write(BenchReport report, Path png) throws IOException {
        ImageIO.write(render(report), "png", png.toFile());
    }

    /** Renders the report into one image: one row per suite, ratio panel left, values right. */
    public static BufferedImage render(BenchReport report) {
        List<BufferedImage> cells = new ArrayList<>();
        Map<String, List<Figure>> bySuite = report.figures().stream()
                .collect(Collectors.groupingBy(Figure::suite, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<Figure>> e : bySuite.entrySet()) {
            List<Figure> ratios = e.getValue().stream().filter(f -> f.ratio() != null).toList();
            BufferedImage values;
            try {
                values = suitePanel(e.getKey(), e.getValue(), true);
            } catch (IllegalArgumentException logAxisRefused) {
                values = suitePanel(e.getKey(), e.getValue(), false);
            }
            if (!ratios.isEmpty()) {
                cells.add(ratioPanel(e.getKey(), ratios));
                cells.add(values);
            } else if (values != null) {
                cells.add(values);
                cells.add(null);
            }
        }
        int cols = 2;
        int rows = Math.max(1, (cells.size() + cols - 1) / cols);
        BufferedImage out = new BufferedImage(PANEL_W * cols, HEADER_H + PANEL_H * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setColor(Color.BLACK);
        HostInfo h = report.host();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        g.drawString("kvmj benchmarks (" + h.profile() + " profile) — " + h.date()
                + "   ratio = slowdown vs same-run baseline, lower is better", 16, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        g.drawString("CPU: " + h.cpuModel() + " (" + h.cpus() + " CPUs)   kernel " + h.kernel() + "   JDK: " + h.jdk(),
                16, 56);
        g.drawString("QEMU: " + h.qemuVersion(), 16, 78);
        g.drawString("Accelerator: " + h.accelerator(), 16, 100);
        for (int i = 0; i < cells.size(); i++) {
            if (cells.get(i) != null) {
                g.drawImage(cells.get(i), (i % cols) * PANEL_W, HEADER_H + (i / cols) * PANEL_H, null);
            }
        }
        if (cells.isEmpty()) {
            g.drawString("No figures in this run.", 16, HEADER_H + 30);
        }
        g.dispose();
        return out;
    }

    private static BufferedImage ratioPanel(String suite, List<Figure> figures) {
        CategoryChart c = chart(suite + ": slowdown vs same-run baseline (1.0 = baseline)", "× baseline");
        List<String> x = labels(figures.stream().map(Figure::name).toList());
        c.addSeries("ratio", x, figures.stream().map(f -> (Number) f.ratio()).toList());
        List<Number> targets = figures.stream().map(f -> (Number) (f.target() == null ? 0.0 : f.target())).toList();
        if (targets.stream().anyMatch(t -> t.doubleValue() > 0)) {
            c.addSeries("target", x, targets);
        }
        return BitmapEncoder.getBufferedImage(c);
    }

    private static BufferedImage suitePanel(String suite, List<Figure> figures, boolean allowLog) {
        Map<String, Long> units = figures.stream()
                .collect(Collectors.groupingBy(Figure::unit, LinkedHashMap::new, Collectors.counting()));
        String unit = null;
        long best = 0;
        for (Map.Entry<String, Long> u : units.entrySet()) {
            if (u.getValue() > best) {
                unit = u.getKey();
                best = u.getValue();
            }
        }
        if (unit == null) {
            return null;
        }
        final String chosen = unit;
        List<Figure> fs = figures.stream().filter(f -> chosen.equals(f.unit())).toList();
        double min = fs.stream().mapToDouble(Figure::value).min().orElse(0);
        double max = fs.stream().mapToDouble(Figure::value).max().orElse(0);
        boolean log = allowLog && min > 0 && max / min > 50
                && fs.stream().allMatch(f -> f.baselineValue() == null || f.baselineValue() > 0)
                && (fs.stream().allMatch(f -> f.baselineValue() != null) || fs.stream().noneMatch(f -> f.baselineValue() != null));
        CategoryChart c = chart(suite + " (" + unit + (log ? ", log scale" : "") + ")", unit);
        if (log) {
            double lo = Math.min(min, fs.stream().filter(f -> f.baselineValue() != null)
                    .mapToDouble(Figure::baselineValue).min().orElse(min));
            c.getStyler().setYAxisLogarithmic(true);
            c.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(lo))));
        }
        List<String> x = labels(fs.stream().map(Figure::name).toList());
        c.addSeries("kvmj / measured", x, fs.stream().map(f -> (Number) f.value()).toList());
        if (fs.stream().anyMatch(f -> f.baselineValue() != null)) {
            c.addSeries("baseline (same run)", x,
                    fs.stream().map(f -> (Number) (f.baselineValue() == null ? 0.0 : f.baselineValue())).toList());
        }
        return BitmapEncoder.getBufferedImage(c);
    }

    private static CategoryChart chart(String title, String yTitle) {
        CategoryChart c = new CategoryChartBuilder().width(PANEL_W).height(PANEL_H).title(title)
                .yAxisTitle(yTitle).build();
        Styler s = c.getStyler();
        c.getStyler().setXAxisLabelRotation(35);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        c.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        c.getStyler().setOverlapped(false);
        s.setChartBackgroundColor(Color.WHITE);
        return c;
    }

    /** Shortened, unique category labels. */
    static List<String> labels(List<String> names) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String n : names) {
            String l = n.length() <= 46 ? n : n.substring(0, 44) + "…";
            String u = l;
            for (int i = 2; !seen.add(u); i++) {
                u = l + " #" + i;
            }
            out.add(u);
        }
        return out;
    }

}

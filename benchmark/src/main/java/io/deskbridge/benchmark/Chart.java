package io.deskbridge.benchmark;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The benchmark's results drawn as an SVG of four panels against the number of chats: live threads, heap per chat,
 * and the p50 and p99 of the user-to-agent latency (the round trip with the example desk), deskbridge beside the raw
 * baseline. Plain SVG 1.1 that browsers and GitHub render; no library, no script, no external font.
 */
final class Chart {
    private static final int PANEL_WIDTH = 420;
    private static final int PANEL_HEIGHT = 260;
    private static final int MARGIN_LEFT = 64;
    private static final int MARGIN_RIGHT = 20;
    private static final int MARGIN_TOP = 34;
    private static final int MARGIN_BOTTOM = 44;
    private static final String DESKBRIDGE_COLOUR = "#1f6fb2";
    private static final String BASELINE_COLOUR = "#8a8a8a";

    /** One line: points (chats, value), in order of chats. */
    record Series(String name, String colour, boolean dashed, List<double[]> points) {
        Series {
            requireNonNull(name, "name is null");
            points = List.copyOf(points);
        }
    }

    /** One panel: a title, a unit, its lines. */
    record Panel(String title, String unit, List<Series> series) {
        Panel {
            series = List.copyOf(series);
        }
    }

    private final String title;
    private final List<Panel> panels;

    Chart(String title, List<Panel> panels) {
        this.title = requireNonNull(title, "title is null");
        this.panels = List.copyOf(panels);
    }

    /** The four panels of {@code report}. */
    static Chart of(Report report) {
        List<Panel> panels = new ArrayList<>();
        panels.add(panel(report, "Live threads", "threads", (run, stage) -> (double) stage.stats().liveThreads(), true));
        panels.add(panel(report, "Heap per chat (after GC)", "KiB", (run, stage) -> stage.joined() == 0 ? null
                : Report.heapPerChat(run, stage) / 1024.0, false));
        String latency = report.userToAgentName();
        panels.add(panel(report, latency + ", p50", "ms", (run, stage) -> percentile(run, stage, 50), false));
        panels.add(panel(report, latency + ", p99", "ms", (run, stage) -> percentile(run, stage, 99), false));
        return new Chart(String.format(Locale.ROOT, "deskbridge benchmark: %s, %,d chats (%s)", report.target(),
                report.options().chats(), report.machine().date()), panels);
    }

    private interface Measure {
        Double of(RunResult run, RunResult.Stage stage);
    }

    private static Panel panel(Report report, String title, String unit, Measure measure, boolean fromZero) {
        List<Series> series = new ArrayList<>();
        for (RunResult run : report.runs()) {
            List<double[]> points = new ArrayList<>();
            for (RunResult.Stage stage : run.stages()) {
                if (!fromZero && stage.chats() == 0) {
                    continue;
                }
                Double value = measure.of(run, stage);
                if (value != null) {
                    points.add(new double[] {stage.chats(), value});
                }
            }
            boolean baseline = run != report.deskbridge();
            series.add(new Series(run.name(), baseline ? BASELINE_COLOUR : DESKBRIDGE_COLOUR, baseline, points));
        }
        return new Panel(title, unit, series);
    }

    private static Double percentile(RunResult run, RunResult.Stage stage, double percentile) {
        Histogram h = stage.userToAgent();
        if (!run.userToAgentMeasured() || h.getTotalCount() == 0) {
            return null;
        }
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    /** The chart as an SVG document. */
    String svg() {
        int columns = 2;
        int rows = (panels.size() + columns - 1) / columns;
        int width = columns * PANEL_WIDTH;
        int height = 40 + rows * PANEL_HEIGHT + 30;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", 12, escape(title)));
        for (int i = 0; i < panels.size(); i++) {
            drawPanel(svg, panels.get(i), (i % columns) * PANEL_WIDTH, 40 + (i / columns) * PANEL_HEIGHT);
        }
        drawLegend(svg, 12, height - 12);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void drawLegend(StringBuilder svg, int x, int y) {
        List<Series> seen = new ArrayList<>();
        for (Panel panel : panels) {
            for (Series s : panel.series()) {
                if (seen.stream().noneMatch(o -> o.name().equals(s.name()))) {
                    seen.add(s);
                }
            }
        }
        int at = x;
        for (Series s : seen) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2.5\"%s/>%n",
                    at, y - 4, at + 28, y - 4, s.colour(), s.dashed() ? " stroke-dasharray=\"6 4\"" : ""));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", at + 34, y, escape(s.name())));
            at += 48 + 8 * s.name().length();
        }
    }

    private static void drawPanel(StringBuilder svg, Panel panel, int left, int top) {
        int x0 = left + MARGIN_LEFT;
        int x1 = left + PANEL_WIDTH - MARGIN_RIGHT;
        int y0 = top + PANEL_HEIGHT - MARGIN_BOTTOM;
        int y1 = top + MARGIN_TOP;
        double maxX = 1;
        double maxY = 0;
        for (Series s : panel.series()) {
            for (double[] p : s.points()) {
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        double stepY = niceStep(maxY <= 0 ? 1 : maxY);
        double topY = Math.max(stepY, Math.ceil(maxY / stepY) * stepY);
        double stepX = niceStep(maxX);
        double topX = Math.ceil(maxX / stepX) * stepX;
        Function<Double, Double> sx = v -> x0 + (x1 - x0) * v / topX;
        Function<Double, Double> sy = v -> y0 - (y0 - y1) * v / topY;

        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", x0, top + 20,
                escape(panel.title() + " (" + panel.unit() + ")")));
        for (double v = 0; v <= topY + stepY / 2; v += stepY) {
            double y = sy.apply(v);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>%n", x0, y, x1, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444\">%s</text>%n", x0 - 6, y + 4,
                    label(v)));
        }
        for (double v = 0; v <= topX + stepX / 2; v += stepX) {
            double x = sx.apply(v);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>%n", x, y0, x, y0 + 4));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%s</text>%n", x, y0 + 17,
                    label(v)));
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n", x0, y0, x1, y0));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n", x0, y0, x0, y1));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">chats</text>%n",
                (x0 + x1) / 2, y0 + 34));
        for (Series s : panel.series()) {
            if (s.points().isEmpty()) {
                continue;
            }
            StringBuilder path = new StringBuilder();
            for (double[] p : s.points()) {
                path.append(path.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", sx.apply(p[0]), sy.apply(p[1])));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"%s/>%n", path,
                    s.colour(), s.dashed() ? " stroke-dasharray=\"6 4\"" : ""));
            for (double[] p : s.points()) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s: %s chats, %s %s</title></circle>%n",
                        sx.apply(p[0]), sy.apply(p[1]), s.colour(), escape(s.name()), label(p[0]), label(p[1]), escape(panel.unit())));
            }
        }
    }

    /** A step of 1, 2 or 5 times a power of ten giving four to eight grid lines up to {@code max}. */
    static double niceStep(double max) {
        double raw = max / 5;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }

    private static String label(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

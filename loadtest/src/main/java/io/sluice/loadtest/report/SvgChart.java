package io.sluice.loadtest.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * An inline SVG line chart (no JavaScript, no external resources) for {@link HtmlReport}: a time axis in
 * seconds, a value axis from zero (or the smallest value when negative) with 1/2/5&times;10<sup>n</sup> ticks,
 * gridlines, a legend and labelled dashed vertical markers. A {@code null} value is a gap in its series; a
 * point with no neighbour is drawn as a dot. Pure: returns markup, does no I/O.
 */
final class SvgChart {
    /** One line; {@code y[i]} (nullable) belongs to {@code x[i]}. */
    record Series(String name, String color, double[] x, Double[] y) {}

    /** A labelled vertical marker at {@code x} (an injected fault, say). */
    record Marker(double x, String label) {}

    static final int WIDTH = 960;
    static final int HEIGHT = 340;
    private static final int LEFT = 72;
    private static final int RIGHT = 24;
    private static final int TOP = 46;
    private static final int BOTTOM = 76;
    private static final int MARKER_LABEL_CHARS = 36;
    private static final String MARKER_COLOR = "#b45309";

    private SvgChart() {}

    /**
     * The {@code <svg>} element.
     *
     * @param title   accessible title (plain text, escaped here)
     * @param yLabel  value-axis label (plain text, escaped here)
     * @param series  the lines; values that are {@code null} or not finite are gaps
     * @param markers vertical markers; they widen the time axis if they fall outside the samples
     */
    static String render(String title, String yLabel, List<Series> series, List<Marker> markers) {
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                xMin = Math.min(xMin, s.x()[i]);
                xMax = Math.max(xMax, s.x()[i]);
                Double y = value(s, i);
                if (y != null) {
                    yMin = Math.min(yMin, y);
                    yMax = Math.max(yMax, y);
                }
            }
        }
        for (Marker m : markers) {
            xMin = Math.min(xMin, m.x());
            xMax = Math.max(xMax, m.x());
        }
        boolean noData = yMin > yMax;
        Axis xa = Axis.of(xMin > xMax ? 0 : xMin, xMin > xMax ? 1 : xMax, 8);
        Axis ya = Axis.of(noData ? 0 : Math.min(0, yMin), noData ? 0 : yMax, 5);

        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        int bottom = TOP + plotH;
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<svg class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"")
                .append(HtmlReport.esc(title))
                .append("\">")
                .append("<title>")
                .append(HtmlReport.esc(title))
                .append("</title>");

        // gridlines and tick labels
        sb.append("<g class=\"grid\">");
        for (double v : ya.ticks()) {
            double y = py(v, ya, plotH);
            sb.append("<line x1=\"")
                    .append(LEFT)
                    .append("\" x2=\"")
                    .append(LEFT + plotW)
                    .append("\" y1=\"")
                    .append(c(y))
                    .append("\" y2=\"")
                    .append(c(y))
                    .append("\"/>");
        }
        for (double v : xa.ticks()) {
            double x = px(v, xa, plotW);
            sb.append("<line class=\"v\" x1=\"")
                    .append(c(x))
                    .append("\" x2=\"")
                    .append(c(x))
                    .append("\" y1=\"")
                    .append(TOP)
                    .append("\" y2=\"")
                    .append(bottom)
                    .append("\"/>");
        }
        sb.append("</g><g class=\"ticks\">");
        for (double v : ya.ticks()) {
            sb.append("<text x=\"")
                    .append(LEFT - 8)
                    .append("\" y=\"")
                    .append(c(py(v, ya, plotH) + 4))
                    .append("\" text-anchor=\"end\">")
                    .append(HtmlReport.esc(tickLabel(v, ya.step(), ya.maxAbs())))
                    .append("</text>");
        }
        for (double v : xa.ticks()) {
            sb.append("<text x=\"")
                    .append(c(px(v, xa, plotW)))
                    .append("\" y=\"")
                    .append(bottom + 18)
                    .append("\" text-anchor=\"middle\">")
                    .append(HtmlReport.esc(tickLabel(v, xa.step(), xa.maxAbs())))
                    .append("</text>");
        }
        sb.append("</g>");
        sb.append("<g class=\"axis\"><line x1=\"")
                .append(LEFT)
                .append("\" x2=\"")
                .append(LEFT + plotW)
                .append("\" y1=\"")
                .append(bottom)
                .append("\" y2=\"")
                .append(bottom)
                .append("\"/>")
                .append("<line x1=\"")
                .append(LEFT)
                .append("\" x2=\"")
                .append(LEFT)
                .append("\" y1=\"")
                .append(TOP)
                .append("\" y2=\"")
                .append(bottom)
                .append("\"/></g>");
        sb.append("<text class=\"axis-title\" x=\"")
                .append(LEFT + plotW / 2)
                .append("\" y=\"")
                .append(bottom + 38)
                .append("\" text-anchor=\"middle\">seconds since load start</text>");
        sb.append("<text class=\"axis-title\" transform=\"translate(16 ")
                .append(TOP + plotH / 2)
                .append(") rotate(-90)\" text-anchor=\"middle\">")
                .append(HtmlReport.esc(yLabel))
                .append("</text>");
        if (noData) {
            sb.append("<text class=\"nodata\" x=\"")
                    .append(LEFT + plotW / 2)
                    .append("\" y=\"")
                    .append(TOP + plotH / 2)
                    .append("\" text-anchor=\"middle\">no data</text>");
        }

        // series
        for (Series s : series) {
            sb.append("<g class=\"series\">");
            StringBuilder d = new StringBuilder();
            int n = s.x().length;
            for (int i = 0; i < n; i++) {
                Double y = value(s, i);
                if (y == null) {
                    continue;
                }
                boolean prev = i > 0 && value(s, i - 1) != null;
                boolean next = i + 1 < n && value(s, i + 1) != null;
                String x = c(px(s.x()[i], xa, plotW));
                String yy = c(py(y, ya, plotH));
                if (!prev && !next) {
                    sb.append("<circle cx=\"")
                            .append(x)
                            .append("\" cy=\"")
                            .append(yy)
                            .append("\" r=\"3\" fill=\"")
                            .append(s.color())
                            .append("\"/>");
                } else {
                    d.append(prev ? 'L' : 'M').append(x).append(' ').append(yy);
                }
            }
            if (d.length() > 0) {
                sb.append("<path d=\"")
                        .append(d)
                        .append("\" fill=\"none\" stroke=\"")
                        .append(s.color())
                        .append("\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>");
            }
            sb.append("</g>");
        }

        // markers: alternate two label rows so that neighbours overlap less
        List<Marker> sorted = new ArrayList<>(markers);
        sorted.sort(Comparator.comparingDouble(Marker::x));
        for (int i = 0; i < sorted.size(); i++) {
            Marker m = sorted.get(i);
            double x = px(m.x(), xa, plotW);
            int labelY = TOP - 8 - (i % 2) * 15;
            boolean rightSide = x > LEFT + plotW * 0.7;
            String label = m.label() == null ? "event" : m.label();
            String shown =
                    label.length() > MARKER_LABEL_CHARS ? label.substring(0, MARKER_LABEL_CHARS - 1) + "…" : label;
            sb.append("<g class=\"marker\"><title>")
                    .append(format(m.x(), 3))
                    .append(" s: ")
                    .append(HtmlReport.esc(label))
                    .append("</title>")
                    .append("<line x1=\"")
                    .append(c(x))
                    .append("\" x2=\"")
                    .append(c(x))
                    .append("\" y1=\"")
                    .append(labelY - 10)
                    .append("\" y2=\"")
                    .append(bottom)
                    .append("\" stroke=\"")
                    .append(MARKER_COLOR)
                    .append("\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>")
                    .append("<text x=\"")
                    .append(c(rightSide ? x - 4 : x + 4))
                    .append("\" y=\"")
                    .append(labelY)
                    .append("\" text-anchor=\"")
                    .append(rightSide ? "end" : "start")
                    .append("\">")
                    .append(HtmlReport.esc(shown))
                    .append("</text></g>");
        }

        // legend
        int lx = LEFT;
        int ly = HEIGHT - 12;
        sb.append("<g class=\"legend\">");
        for (Series s : series) {
            Double max = null;
            for (int i = 0; i < s.x().length; i++) {
                Double y = value(s, i);
                if (y != null && (max == null || y > max)) {
                    max = y;
                }
            }
            String text = s.name() + (max == null ? " (no data)" : " · max " + number(max));
            sb.append("<line x1=\"")
                    .append(lx)
                    .append("\" x2=\"")
                    .append(lx + 22)
                    .append("\" y1=\"")
                    .append(ly - 4)
                    .append("\" y2=\"")
                    .append(ly - 4)
                    .append("\" stroke=\"")
                    .append(s.color())
                    .append("\" stroke-width=\"3\"/>")
                    .append("<text x=\"")
                    .append(lx + 28)
                    .append("\" y=\"")
                    .append(ly)
                    .append("\">")
                    .append(HtmlReport.esc(text))
                    .append("</text>");
            lx += 28 + textWidth(text) + 28;
        }
        if (!markers.isEmpty()) {
            sb.append("<line x1=\"")
                    .append(lx)
                    .append("\" x2=\"")
                    .append(lx + 22)
                    .append("\" y1=\"")
                    .append(ly - 4)
                    .append("\" y2=\"")
                    .append(ly - 4)
                    .append("\" stroke=\"")
                    .append(MARKER_COLOR)
                    .append("\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>")
                    .append("<text x=\"")
                    .append(lx + 28)
                    .append("\" y=\"")
                    .append(ly)
                    .append("\">event</text>");
        }
        sb.append("</g></svg>");
        return sb.toString();
    }

    /**
     * A "nice" tick step for {@code range} split into about {@code targetTicks} intervals: 1, 2 or 5 times a
     * power of ten. Returns 1 for an empty, negative or non-finite range.
     */
    static double niceStep(double range, int targetTicks) {
        if (!(range > 0) || Double.isInfinite(range) || targetTicks < 1) {
            return 1;
        }
        double raw = range / targetTicks;
        int exp = (int) Math.floor(Math.log10(raw));
        BigDecimal mag = BigDecimal.ONE.scaleByPowerOfTen(exp);
        double norm = raw / mag.doubleValue();
        int nice = norm <= 1 + 1e-9 ? 1 : norm <= 2 + 1e-9 ? 2 : norm <= 5 + 1e-9 ? 5 : 10;
        return mag.multiply(BigDecimal.valueOf(nice)).doubleValue();
    }

    /**
     * A tick label: with a k/M/G suffix when the axis reaches 10,000 / a million / a billion, otherwise with
     * thousands separators; as many decimals as the step needs.
     */
    static String tickLabel(double v, double step, double axisMaxAbs) {
        double scale = 1;
        String suffix = "";
        if (axisMaxAbs >= 1e9) {
            scale = 1e9;
            suffix = "G";
        } else if (axisMaxAbs >= 1e6) {
            scale = 1e6;
            suffix = "M";
        } else if (axisMaxAbs >= 1e4) {
            scale = 1e3;
            suffix = "k";
        }
        if (Math.abs(v) < Math.abs(step) * 1e-9) {
            v = 0;
        }
        double s = Math.abs(step) / scale;
        int decimals = 0;
        while (decimals < 6) {
            double scaled = s * Math.pow(10, decimals);
            if (Math.abs(scaled - Math.rint(scaled)) <= 1e-6 * Math.max(1, scaled)) {
                break;
            }
            decimals++;
        }
        return format(v / scale, decimals) + (v == 0 ? "" : suffix);
    }

    /** A compact number for legends: thousands separators up to a million, then M or G with two decimals at most. */
    static String number(double v) {
        double a = Math.abs(v);
        return a >= 1e9 ? format(v / 1e9, 2) + "G" : a >= 1e6 ? format(v / 1e6, 2) + "M" : format(v, a >= 1000 ? 0 : 2);
    }

    static String format(double v, int maxDecimals) {
        DecimalFormat f = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setMaximumFractionDigits(maxDecimals);
        f.setRoundingMode(RoundingMode.HALF_UP);
        String out = f.format(v);
        return out.equals("-0") ? "0" : out;
    }

    private static Double value(Series s, int i) {
        Double y = i < s.y().length ? s.y()[i] : null;
        return y == null || !Double.isFinite(y) ? null : y;
    }

    private static double px(double x, Axis a, int plotW) {
        return LEFT + (x - a.lo()) / (a.hi() - a.lo()) * plotW;
    }

    private static double py(double y, Axis a, int plotH) {
        return TOP + plotH - (y - a.lo()) / (a.hi() - a.lo()) * plotH;
    }

    /** A coordinate with one decimal, locale-independent. */
    private static String c(double v) {
        long tenths = Math.round(v * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : Double.toString(tenths / 10.0);
    }

    private static int textWidth(String s) {
        return (int) Math.ceil(s.length() * 6.6);
    }

    /** An axis snapped outwards to multiples of a nice step. */
    record Axis(double lo, double hi, double step) {
        static Axis of(double min, double max, int targetTicks) {
            if (max - min < 1e-12) {
                // a single value: pad around it, without crossing zero from a non-negative value
                double pad = Math.max(1, Math.abs(max) * 0.1);
                min = min >= 0 && min - pad < 0 ? 0 : min - pad;
                max = max + pad;
            }
            double step = niceStep(max - min, targetTicks);
            double lo = Math.floor(min / step + 1e-9) * step;
            double hi = Math.ceil(max / step - 1e-9) * step;
            if (hi <= lo) {
                hi = lo + step;
            }
            return new Axis(lo, hi, step);
        }

        List<Double> ticks() {
            List<Double> out = new ArrayList<>();
            long n = Math.round((hi - lo) / step);
            for (long i = 0; i <= n && i <= 1000; i++) {
                out.add(lo + i * step);
            }
            return out;
        }

        double maxAbs() {
            return Math.max(Math.abs(lo), Math.abs(hi));
        }
    }
}

package io.sluice.loadtest.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal reader of the Prometheus text exposition format: samples with their labels, enough to sum or
 * take the maximum of one metric family. Comment lines are skipped; a line that does not parse is ignored.
 */
public final class PrometheusText {
    /** One sample. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Sample s = parseLine(line.strip());
            if (s != null) {
                out.add(s);
            }
        }
        return new PrometheusText(out);
    }

    static Sample parseLine(String line) {
        try {
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                return null;
            }
            String name;
            Map<String, String> labels = new TreeMap<>();
            if (brace >= 0 && brace < space) {
                int close = line.lastIndexOf('}');
                name = line.substring(0, brace);
                String body = line.substring(brace + 1, close);
                int i = 0;
                while (i < body.length()) {
                    int eq = body.indexOf('=', i);
                    if (eq < 0) {
                        break;
                    }
                    String key = body.substring(i, eq).trim();
                    int q = body.indexOf('"', eq) + 1;
                    StringBuilder v = new StringBuilder();
                    int j = q;
                    while (j < body.length() && body.charAt(j) != '"') {
                        if (body.charAt(j) == '\\' && j + 1 < body.length()) {
                            j++;
                        }
                        v.append(body.charAt(j++));
                    }
                    labels.put(key, v.toString());
                    i = body.indexOf(',', j);
                    i = i < 0 ? body.length() : i + 1;
                }
                space = line.indexOf(' ', close);
            } else {
                name = line.substring(0, line.indexOf(' '));
                space = line.indexOf(' ');
            }
            String[] rest = line.substring(space + 1).trim().split("\\s+");
            return new Sample(name, labels, Double.parseDouble(rest[0]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Sum of {@code name}'s samples whose label {@code label} equals {@code value}. */
    public double sum(String name, String label, String value) {
        double sum = 0;
        for (Sample s : samples) {
            if (s.name().equals(name) && value.equals(s.labels().get(label))) {
                sum += s.value();
            }
        }
        return sum;
    }

    /** The largest sample of {@code name}, or null when there is none. */
    public Double max(String name) {
        Double max = null;
        for (Sample s : samples) {
            if (s.name().equals(name) && !Double.isNaN(s.value())) {
                max = max == null ? s.value() : Math.max(max, s.value());
            }
        }
        return max;
    }
}

package io.sluice.cloudwatch;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CloudWatch Embedded Metric Format lines (one JSON object per line): an {@code _aws} member with
 * {@code Timestamp} and one {@code CloudWatchMetrics} directive naming the {@code Namespace}, the dimension set and
 * the metrics (name, unit), and the dimension values and metric values as root members. Samples with the same
 * dimensions share a line, at most {@value #MAX_METRICS} metrics per line (the format's limit). Pure: no I/O.
 */
public final class EmfFormat {
    /** Metrics per directive, the format's limit. */
    public static final int MAX_METRICS = 100;
    /** Dimensions per dimension set, the format's limit. */
    public static final int MAX_DIMENSIONS = 30;

    private EmfFormat() {}

    /** One metric value: its dimensions (tag name to value) and a CloudWatch unit ({@code Count}, {@code Milliseconds}...). */
    public record Sample(String name, Map<String, String> dimensions, double value, String unit) {
        public Sample {
            dimensions = Map.copyOf(dimensions);
        }
    }

    /** The EMF lines for {@code samples} at {@code timestampMs}; samples with over 30 dimensions or a non-finite value are left out. */
    public static List<String> lines(String namespace, long timestampMs, List<Sample> samples) {
        Map<Map<String, String>, List<Sample>> byDims = new LinkedHashMap<>();
        for (Sample s : samples) {
            if (s.dimensions().size() > MAX_DIMENSIONS || !Double.isFinite(s.value())) {
                continue;
            }
            byDims.computeIfAbsent(new TreeMap<>(s.dimensions()), k -> new ArrayList<>())
                    .add(s);
        }
        List<String> out = new ArrayList<>();
        byDims.forEach((dims, group) -> {
            for (int from = 0; from < group.size(); from += MAX_METRICS) {
                out.add(line(
                        namespace, timestampMs, dims, group.subList(from, Math.min(group.size(), from + MAX_METRICS))));
            }
        });
        return out;
    }

    private static String line(String namespace, long timestampMs, Map<String, String> dims, List<Sample> metrics) {
        JsonArray defs = new JsonArray();
        JsonObject root = new JsonObject();
        for (Sample s : metrics) {
            defs.add(new JsonObject().put("Name", s.name()).put("Unit", s.unit()));
        }
        JsonObject directive = new JsonObject()
                .put("Namespace", namespace)
                .put("Dimensions", new JsonArray().add(new JsonArray(new ArrayList<>(dims.keySet()))))
                .put("Metrics", defs);
        root.put(
                "_aws",
                new JsonObject()
                        .put("Timestamp", timestampMs)
                        .put("CloudWatchMetrics", new JsonArray().add(directive)));
        dims.forEach(root::put);
        for (Sample s : metrics) {
            root.put(s.name(), s.value());
        }
        return root.encode();
    }
}

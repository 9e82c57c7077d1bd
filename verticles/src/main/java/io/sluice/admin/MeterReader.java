package io.sluice.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.search.Search;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads Sluice's own meters for the status API and the dashboard (counters summed over their other
 * tags). Keys of {@link #counters}: {@code produced}, {@code producer.unavailable}, {@code producer.invalid},
 * {@code producer.rejected}, {@code generated}, and per pipeline {@code <p>.polled}, {@code <p>.delivered},
 * {@code <p>.committed}, {@code <p>.invocations}, {@code <p>.invocations.failed}, {@code <p>.dlq}.
 */
final class MeterReader {
    private final MeterRegistry registry;
    private final List<String> pipelines;

    MeterReader(MeterRegistry registry, List<String> pipelines) {
        this.registry = registry;
        this.pipelines = List.copyOf(pipelines);
    }

    Map<String, Double> counters() {
        Map<String, Double> m = new HashMap<>();
        double accepted = sum(registry.find("sluice.producer.results").tag("result", "accepted"));
        m.put("produced", accepted);
        m.put(
                "producer.unavailable",
                sum(registry.find("sluice.producer.results").tag("result", "unavailable")));
        m.put("producer.invalid", sum(registry.find("sluice.producer.results").tag("result", "invalid")));
        m.put(
                "producer.rejected",
                sum(registry.find("sluice.producer.results"))
                        - accepted
                        - sum(registry.find("sluice.producer.results").tag("result", "spooled")));
        m.put("generated", sum(registry.find("sluice.generator.events").tag("result", "accepted")));
        for (String p : pipelines) {
            m.put(
                    p + ".polled",
                    sum(registry.find("sluice.consumer.records.polled").tag("pipeline", p)));
            m.put(
                    p + ".delivered",
                    sum(registry.find("sluice.dispatch.records.delivered").tag("pipeline", p)));
            m.put(
                    p + ".committed",
                    sum(registry.find("sluice.consumer.records.committed").tag("pipeline", p)));
            double inv = sum(registry.find("sluice.dispatch.invocations").tag("pipeline", p));
            m.put(p + ".invocations", inv);
            m.put(
                    p + ".invocations.failed",
                    inv
                            - sum(registry.find("sluice.dispatch.invocations")
                                    .tag("pipeline", p)
                                    .tag("outcome", "success")));
            m.put(p + ".dlq", sum(registry.find("sluice.dispatch.records.dlq").tag("pipeline", p)));
        }
        return m;
    }

    /** Whether no gauge of that name is registered. */
    boolean gaugeMissing(String name) {
        return registry.find(name).gauges().isEmpty();
    }

    /** Sum of a gauge over its series (0 when absent). */
    double gauge(String name, String pipeline) {
        Search s = registry.find(name);
        if (pipeline != null) {
            s = s.tag("pipeline", pipeline);
        }
        return s.gauges().stream()
                .mapToDouble(Gauge::value)
                .filter(d -> !Double.isNaN(d))
                .sum();
    }

    /** {@code {"p50":…, "p99":…}} in milliseconds from a timer that publishes those percentiles (nulls when absent). */
    JsonObject percentilesMs(String timerName, String pipeline) {
        Search s = registry.find(timerName);
        if (pipeline != null) {
            s = s.tag("pipeline", pipeline);
        }
        JsonObject out = new JsonObject().putNull("p50").putNull("p99");
        Timer t = s.timer();
        if (t == null) {
            return out;
        }
        for (ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
            double ms = Math.round(v.value(TimeUnit.MILLISECONDS) * 10) / 10.0;
            if (Math.abs(v.percentile() - 0.5) < 1e-9) {
                out.put("p50", ms);
            } else if (Math.abs(v.percentile() - 0.99) < 1e-9) {
                out.put("p99", ms);
            }
        }
        return out;
    }

    private static double sum(Search s) {
        return s.counters().stream().mapToDouble(Counter::count).sum();
    }
}

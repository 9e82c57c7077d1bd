package io.sluice.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
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
        return find(name, pipeline).gauges().stream()
                .mapToDouble(Gauge::value)
                .filter(d -> !Double.isNaN(d))
                .sum();
    }

    /**
     * {@code {"p50":…, "p99":…}} in milliseconds (nulls when absent): a timer's client-side percentiles when it
     * publishes them; else, for a timer that publishes only its histogram (the producer's ack latency: one record
     * per acknowledged event, where client-side percentiles cost more than the rest of the acknowledgement), an
     * estimate from its buckets over the records of the last {@value #WINDOW_MS} to {@code 2 x} {@value #WINDOW_MS}
     * ms (since start before that; see {@link #tick}).
     */
    JsonObject percentilesMs(String timerName, String pipeline) {
        JsonObject out = new JsonObject().putNull("p50").putNull("p99");
        Timer t = find(timerName, pipeline).timer();
        if (t == null) {
            return out;
        }
        HistogramSnapshot snap = t.takeSnapshot();
        if (snap.percentileValues().length == 0 && snap.histogramCounts().length > 0) {
            Buckets now = Buckets.of(snap);
            Buckets before = windows.computeIfAbsent(new TimerKey(timerName, pipeline), k -> new Window()).older;
            out.put("p50", ms(now.quantile(before, 0.5)));
            out.put("p99", ms(now.quantile(before, 0.99)));
            return out;
        }
        for (ValueAtPercentile v : snap.percentileValues()) {
            double ms = ms(v.value(TimeUnit.NANOSECONDS));
            if (Math.abs(v.percentile() - 0.5) < 1e-9) {
                out.put("p50", ms);
            } else if (Math.abs(v.percentile() - 0.99) < 1e-9) {
                out.put("p99", ms);
            }
        }
        return out;
    }

    /**
     * Moves the bucket windows of the timers {@link #percentilesMs} estimates (call it periodically, on the same
     * thread): every {@value #WINDOW_MS} ms the newer snapshot becomes the older one, the window's start.
     */
    void tick(long nowMs) {
        windows.forEach((key, w) -> {
            if (nowMs - w.newerAtMs < WINDOW_MS) {
                return;
            }
            Timer t = find(key.name(), key.pipeline()).timer();
            w.older = w.newer;
            w.newer = t == null ? null : Buckets.of(t.takeSnapshot());
            w.newerAtMs = nowMs;
        });
    }

    /** The meters of that name, of that pipeline only when {@code pipeline} is not null. */
    private Search find(String name, String pipeline) {
        Search s = registry.find(name);
        return pipeline == null ? s : s.tag("pipeline", pipeline);
    }

    private static Double ms(Double nanos) {
        return nanos == null ? null : Math.round(nanos / 100_000) / 10.0;
    }

    private static final long WINDOW_MS = 30_000;
    private final Map<TimerKey, Window> windows = new HashMap<>();

    /** A timer as {@link #percentilesMs} was asked for it ({@code pipeline} null: every series of the name). */
    private record TimerKey(String name, String pipeline) {}

    private static final class Window {
        Buckets older;
        Buckets newer;
        long newerAtMs = Long.MIN_VALUE / 2; // the first tick takes a snapshot
    }

    /** A timer's cumulative bucket counts at one moment, bounds in nanoseconds. */
    private record Buckets(double[] bounds, double[] counts, double total) {
        static Buckets of(HistogramSnapshot snap) {
            CountAtBucket[] b = snap.histogramCounts();
            double[] bounds = new double[b.length];
            double[] counts = new double[b.length];
            for (int i = 0; i < b.length; i++) {
                bounds[i] = b[i].bucket(TimeUnit.NANOSECONDS);
                counts[i] = b[i].count();
            }
            return new Buckets(bounds, counts, snap.count());
        }

        Double quantile(Buckets before, double q) {
            boolean sameBuckets = before != null && before.counts.length == counts.length;
            return BucketQuantiles.quantile(
                    bounds, counts, sameBuckets ? before.counts : null, total, sameBuckets ? before.total : 0, q);
        }
    }

    private static double sum(Search s) {
        return s.counters().stream().mapToDouble(Counter::count).sum();
    }
}

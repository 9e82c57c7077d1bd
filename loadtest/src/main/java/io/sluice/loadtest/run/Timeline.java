package io.sluice.loadtest.run;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-second samples of a run and its event markers (pure; filled by the runner's sampler). Rates are
 * differences between consecutive cumulative counts divided by the time between the samples.
 */
public final class Timeline {
    /**
     * One sample.
     *
     * @param t           seconds since the load started
     * @param targetRate  the input rate asked for at that moment
     * @param produced    events acknowledged by Kafka so far
     * @param delivered   unique events at the sink so far
     * @param lagRecords  the consumer group's lag (end offset − committed, all partitions), or null
     * @param lagSeconds  the largest lag in seconds a Sluice process reported, or null
     * @param p50Ms       median end-to-end latency of the events first delivered in this second, or null
     * @param p99Ms       99th percentile of the same, or null
     */
    public record Sample(
            double t,
            double targetRate,
            long produced,
            long delivered,
            Long lagRecords,
            Double lagSeconds,
            Long p50Ms,
            Long p99Ms) {}

    /** A marker. */
    public record Event(double t, String label) {}

    private final List<Sample> samples = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();

    public synchronized void add(Sample s) {
        samples.add(s);
    }

    public synchronized void mark(double t, String label) {
        events.add(new Event(t, label));
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Samples with {@code from <= t < to}. */
    public synchronized List<Sample> between(double from, double to) {
        return samples.stream().filter(s -> s.t() >= from && s.t() < to).toList();
    }

    /**
     * The rates of a stretch of the run.
     *
     * @param samples            how many samples it has
     * @param producedPerSec     {@link #producedRate}
     * @param deliveredPerSec    {@link #deliveredRate}
     * @param backlogSlopePerSec {@link #backlogSlope}
     */
    public record Window(int samples, double producedPerSec, double deliveredPerSec, double backlogSlopePerSec) {

        /** Delivery kept up: at least 95% of the input delivered, the backlog growing by at most 5% of {@code rate}. */
        public boolean keptUp(double rate) {
            return samples >= 2 && deliveredPerSec >= 0.95 * producedPerSec && backlogSlopePerSec <= 0.05 * rate;
        }
    }

    /** The rates over {@code samples}. */
    public static Window window(List<Sample> samples) {
        return new Window(samples.size(), producedRate(samples), deliveredRate(samples), backlogSlope(samples));
    }

    /** Produced events per second between the first and last of {@code window} (0 for fewer than 2). */
    public static double producedRate(List<Sample> window) {
        return rate(window, true);
    }

    /** Delivered events per second between the first and last of {@code window} (0 for fewer than 2). */
    public static double deliveredRate(List<Sample> window) {
        return rate(window, false);
    }

    private static double rate(List<Sample> w, boolean produced) {
        if (w.size() < 2) {
            return 0;
        }
        Sample a = w.get(0);
        Sample b = w.get(w.size() - 1);
        double dt = b.t() - a.t();
        return dt <= 0 ? 0 : ((produced ? b.produced() - a.produced() : b.delivered() - a.delivered())) / dt;
    }

    /**
     * Least-squares slope (events per second) of the backlog {@code produced − delivered} over {@code window}:
     * exact counts every second, unlike the committed lag, which moves in steps of the commit interval.
     */
    public static double backlogSlope(List<Sample> window) {
        return slope(window, s -> s.produced() - s.delivered());
    }

    private static double slope(List<Sample> w, java.util.function.ToDoubleFunction<Sample> y) {
        if (w.size() < 2) {
            return 0;
        }
        double mt = w.stream().mapToDouble(Sample::t).average().orElse(0);
        double my = w.stream().mapToDouble(y).average().orElse(0);
        double num = 0;
        double den = 0;
        for (Sample s : w) {
            num += (s.t() - mt) * (y.applyAsDouble(s) - my);
            den += (s.t() - mt) * (s.t() - mt);
        }
        return den == 0 ? 0 : num / den;
    }

    /** The {@code timeline} array of report.json: per-second rates, lag and latency. */
    public synchronized JsonArray toJson() {
        JsonArray arr = new JsonArray();
        Sample prev = null;
        for (Sample s : samples) {
            double dt = prev == null ? 0 : s.t() - prev.t();
            arr.add(new JsonObject()
                    .put("t", round1(s.t()))
                    .put("targetRate", s.targetRate())
                    .put("producedPerSec", dt <= 0 ? null : Math.round((s.produced() - prev.produced()) / dt))
                    .put("deliveredPerSec", dt <= 0 ? null : Math.round((s.delivered() - prev.delivered()) / dt))
                    .put("lagRecords", s.lagRecords())
                    .put("lagSeconds", s.lagSeconds())
                    .put("latencyP50Ms", s.p50Ms())
                    .put("latencyP99Ms", s.p99Ms()));
            prev = s;
        }
        return arr;
    }

    /** The {@code events} array of report.json. */
    public synchronized JsonArray eventsJson() {
        JsonArray arr = new JsonArray();
        events.forEach(e -> arr.add(new JsonObject().put("t", round1(e.t())).put("label", e.label())));
        return arr;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}

package io.sluice.loadtest.report;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * Latency percentiles in milliseconds (the {@code latencyMs} object of the report).
 *
 * @param p50  median
 * @param p95  95th percentile
 * @param p99  99th percentile
 * @param p999 99.9th percentile
 * @param max  largest value
 */
public record LatencySummary(double p50, double p95, double p99, double p999, double max, long count) {

    /** From a histogram recorded in microseconds. */
    public static LatencySummary fromMicros(Histogram h) {
        return new LatencySummary(
                ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(95)),
                ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)),
                ms(h.getMaxValue()),
                h.getTotalCount());
    }

    /** From a histogram recorded in milliseconds. */
    public static LatencySummary fromMillis(Histogram h) {
        return new LatencySummary(
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(95),
                h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9),
                h.getMaxValue(),
                h.getTotalCount());
    }

    private static double ms(long micros) {
        return Report.round(micros / 1000.0, 3);
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("p50", p50)
                .put("p95", p95)
                .put("p99", p99)
                .put("p999", p999)
                .put("max", max);
    }

    static JsonObject nulls() {
        return new JsonObject()
                .put("p50", null)
                .put("p95", null)
                .put("p99", null)
                .put("p999", null)
                .put("max", null);
    }
}

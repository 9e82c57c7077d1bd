package io.sluice.locallambda;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A snapshot of the sink ({@code GET /sink/stats} returns {@link #toJson()}).
 *
 * @param received records received, duplicates included
 * @param unique distinct event ids
 * @param duplicates {@code received - unique}
 * @param orderViolations new event ids that arrived with a {@code seq} lower than the highest already seen
 *     for their key
 * @param keys distinct keys that carried a {@code seq}
 * @param latencyMs end-to-end latency (arrival minus event {@code timestamp}) of first arrivals
 * @param perSecond arrivals per wall-clock second, oldest first, the last 60 seconds with traffic
 */
public record SinkStats(
        long received,
        long unique,
        long duplicates,
        long orderViolations,
        long keys,
        long requests,
        long firstArrivalMs,
        long lastArrivalMs,
        double meanArrivalsPerSecond,
        Latency latencyMs,
        List<long[]> perSecond) {

    /** Latency percentiles in milliseconds. */
    public record Latency(long count, long min, long p50, long p90, long p99, long p999, long max, double mean) {
        JsonObject toJson() {
            return new JsonObject()
                    .put("count", count)
                    .put("min", min)
                    .put("p50", p50)
                    .put("p90", p90)
                    .put("p99", p99)
                    .put("p999", p999)
                    .put("max", max)
                    .put("mean", mean);
        }
    }

    public JsonObject toJson() {
        JsonArray series = new JsonArray();
        perSecond.forEach(
                p -> series.add(new JsonObject().put("epochSecond", p[0]).put("count", p[1])));
        return new JsonObject()
                .put("received", received)
                .put("unique", unique)
                .put("duplicates", duplicates)
                .put("orderViolations", orderViolations)
                .put("keys", keys)
                .put("requests", requests)
                .put("firstArrivalMs", firstArrivalMs)
                .put("lastArrivalMs", lastArrivalMs)
                .put("meanArrivalsPerSecond", meanArrivalsPerSecond)
                .put("latencyMs", latencyMs.toJson())
                .put("perSecond", series);
    }
}

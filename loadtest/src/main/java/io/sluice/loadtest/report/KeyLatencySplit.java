package io.sluice.loadtest.report;

import io.vertx.core.json.JsonObject;
import java.util.BitSet;
import java.util.function.IntToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * End-to-end latency split into the hot key's events and all other events, plus the share of the input the hot
 * key actually had. Latency of an event = its first arrival at the sink − its create time (the same definition as
 * {@code latencyMs}); only events numbered {@code firstMeasured} or later count (the warm-up is not measured), the
 * share counts every acknowledged event. Pure: the caller passes the lookups.
 *
 * @param hotEvents       acknowledged events with the hot key (the whole run)
 * @param otherEvents     acknowledged events with any other key
 * @param hot             latency of the measured hot-key events that arrived, or null when none did
 * @param others          latency of the other measured events that arrived, or null when none did
 * @param hotNotArrived   measured hot-key events that never arrived at the sink (DLQ or lost)
 * @param otherNotArrived other measured events that never arrived at the sink
 */
public record KeyLatencySplit(
        long hotEvents,
        long otherEvents,
        LatencySummary hot,
        LatencySummary others,
        long hotNotArrived,
        long otherNotArrived) {

    /**
     * Splits the events.
     *
     * @param accepted      acknowledged event numbers
     * @param hotSet        numbers of the events with the hot key
     * @param excluded      numbers to leave out entirely (e.g. poison events, never delivered)
     * @param firstMeasured the first event number whose latency counts
     * @param createdAtMs   event number → create time (epoch ms), or -1 when unknown
     * @param arrivalMs     event number → first sink arrival (epoch ms), or -1 when it never arrived
     */
    public static KeyLatencySplit compute(
            BitSet accepted,
            BitSet hotSet,
            BitSet excluded,
            int firstMeasured,
            IntToLongFunction createdAtMs,
            IntToLongFunction arrivalMs) {
        Histogram hot = new Histogram(3);
        Histogram others = new Histogram(3);
        long hotEvents = 0;
        long otherEvents = 0;
        long hotMissing = 0;
        long otherMissing = 0;
        for (int n = accepted.nextSetBit(0); n >= 0; n = accepted.nextSetBit(n + 1)) {
            if (excluded.get(n)) {
                continue;
            }
            boolean isHot = hotSet.get(n);
            if (isHot) {
                hotEvents++;
            } else {
                otherEvents++;
            }
            if (n < firstMeasured) {
                continue;
            }
            long created = createdAtMs.applyAsLong(n);
            long arrived = arrivalMs.applyAsLong(n);
            if (arrived < 0) {
                if (isHot) {
                    hotMissing++;
                } else {
                    otherMissing++;
                }
                continue;
            }
            if (created < 0) {
                continue;
            }
            (isHot ? hot : others).recordValue(Math.max(0, arrived - created));
        }
        return new KeyLatencySplit(hotEvents, otherEvents, summary(hot), summary(others), hotMissing, otherMissing);
    }

    private static LatencySummary summary(Histogram h) {
        return h.getTotalCount() == 0 ? null : LatencySummary.fromMillis(h);
    }

    /** The hot key's share of the acknowledged events (0 when there were none). */
    public double hotShare() {
        long all = hotEvents + otherEvents;
        return all == 0 ? 0 : hotEvents / (double) all;
    }

    /** The {@code hotKey} report object: {@code key, targetShare, share, events, p50Ms, p99Ms, latencyMs, notArrived}. */
    public JsonObject hotJson(String key, Double targetShare) {
        return part(hot, hotEvents, hotNotArrived)
                .put("key", key)
                .put("targetShare", targetShare)
                .put("share", Report.round(hotShare(), 4));
    }

    /** The {@code otherKeys} report object: {@code events, p50Ms, p99Ms, latencyMs, notArrived}. */
    public JsonObject othersJson() {
        return part(others, otherEvents, otherNotArrived);
    }

    private static JsonObject part(LatencySummary l, long events, long notArrived) {
        return new JsonObject()
                .put("events", events)
                .put("p50Ms", l == null ? null : l.p50())
                .put("p99Ms", l == null ? null : l.p99())
                .put("latencyMs", l == null ? LatencySummary.nulls() : l.toJson())
                .put("measured", l == null ? 0 : l.count())
                .put("notArrived", notArrived);
    }
}

package io.sluice.locallambda;

import io.sluice.locallambda.internal.EventIdSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The local downstream sink's accounting, thread-safe (one lock; a batch is recorded under it at once).
 * Ids are kept as 128-bit fingerprints with their first arrival time (see {@link EventIdSet}): membership is
 * exact for practical purposes, but the ids themselves cannot be listed; use {@link #contains} or
 * {@link #missing} against the ids you produced.
 */
public final class SinkStore {

    private static final int SECONDS_KEPT = 60;

    private final EventIdSet ids = new EventIdSet(1 << 16);
    private final Map<String, Long> maxSeqByKey = new HashMap<>();
    private final Histogram latency = new Histogram(3);
    private final Histogram intervalLatency = new Histogram(3);
    private final long[] secondStamp = new long[SECONDS_KEPT];
    private final long[] secondCount = new long[SECONDS_KEPT];
    private long received;
    private long orderViolations;
    private long requests;
    private long firstArrivalMs = -1;
    private long lastArrivalMs = -1;

    /**
     * Makes room for {@code ids} distinct event ids in all, so that recording them never grows the id set (a rehash
     * of every id, which would stall the sink's answers mid-run).
     */
    public synchronized void reserve(long ids) {
        this.ids.reserve(ids);
    }

    /** Records one delivered batch (one target call) arriving at {@code arrivalMs}. */
    public synchronized void record(List<SinkRecord> batch, long arrivalMs) {
        requests++;
        if (batch.isEmpty()) {
            return;
        }
        if (firstArrivalMs < 0) {
            firstArrivalMs = arrivalMs;
        }
        lastArrivalMs = Math.max(lastArrivalMs, arrivalMs);
        long second = arrivalMs / 1000;
        int slot = (int) (second % SECONDS_KEPT);
        if (secondStamp[slot] != second) {
            secondStamp[slot] = second;
            secondCount[slot] = 0;
        }
        secondCount[slot] += batch.size();
        for (SinkRecord r : batch) {
            received++;
            if (!ids.add(r.eventId(), arrivalMs)) {
                continue; // a duplicate: never an order violation
            }
            if (r.timestamp() >= 0) {
                long ms = Math.max(0L, arrivalMs - r.timestamp());
                latency.recordValue(ms);
                intervalLatency.recordValue(ms);
            }
            if (r.seq() != null && r.key() != null) {
                Long max = maxSeqByKey.get(r.key());
                if (max != null && r.seq() < max) {
                    orderViolations++;
                }
                if (max == null || r.seq() > max) {
                    maxSeqByKey.put(r.key(), r.seq());
                }
            }
        }
    }

    public synchronized long totalReceived() {
        return received;
    }

    public synchronized long uniqueCount() {
        return ids.size();
    }

    public synchronized long duplicates() {
        return received - ids.size();
    }

    public synchronized long orderViolations() {
        return orderViolations;
    }

    public synchronized boolean contains(String eventId) {
        return ids.contains(eventId);
    }

    /** First arrival (epoch ms) of an event id, or -1 when it never arrived. */
    public synchronized long firstArrivalMs(String eventId) {
        return ids.firstArrivalMs(eventId);
    }

    /** The ids among {@code expected} that never arrived (loss accounting). */
    public synchronized List<String> missing(Collection<String> expected) {
        List<String> out = new ArrayList<>();
        for (String id : expected) {
            if (!ids.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    public synchronized SinkStats stats() {
        SinkStats.Latency l = summary(latency);
        List<long[]> series = new ArrayList<>();
        long now = lastArrivalMs / 1000;
        for (long s = now - SECONDS_KEPT + 1; s <= now && lastArrivalMs >= 0; s++) {
            int slot = (int) (s % SECONDS_KEPT);
            if (s >= 0 && secondStamp[slot] == s) {
                series.add(new long[] {s, secondCount[slot]});
            }
        }
        double spanSeconds = Math.max(1.0, (lastArrivalMs - firstArrivalMs) / 1000.0);
        return new SinkStats(
                received,
                ids.size(),
                received - ids.size(),
                orderViolations,
                maxSeqByKey.size(),
                requests,
                firstArrivalMs,
                lastArrivalMs,
                received == 0 ? 0 : received / spanSeconds,
                l,
                series);
    }

    /**
     * The end-to-end latency (ms) of the first arrivals since the previous call (or since the start), and a
     * new interval begins: for a per-second latency timeline.
     */
    public synchronized SinkStats.Latency takeIntervalLatency() {
        SinkStats.Latency l = summary(intervalLatency);
        intervalLatency.reset();
        return l;
    }

    /** Starts the latency histograms afresh (e.g. after a warm-up); the id accounting is kept. */
    public synchronized void resetLatency() {
        latency.reset();
        intervalLatency.reset();
    }

    /** The end-to-end latency (ms) of every first arrival since the start (or the last reset). */
    public synchronized Histogram latencyCopy() {
        return latency.copy();
    }

    private static SinkStats.Latency summary(Histogram h) {
        long count = h.getTotalCount();
        return new SinkStats.Latency(
                count,
                count == 0 ? 0 : h.getMinValue(),
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(90),
                h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9),
                h.getMaxValue(),
                count == 0 ? 0 : h.getMean());
    }

    public synchronized void reset() {
        intervalLatency.reset();
        ids.clear();
        maxSeqByKey.clear();
        latency.reset();
        java.util.Arrays.fill(secondStamp, 0);
        java.util.Arrays.fill(secondCount, 0);
        received = 0;
        orderViolations = 0;
        requests = 0;
        firstArrivalMs = -1;
        lastArrivalMs = -1;
    }
}

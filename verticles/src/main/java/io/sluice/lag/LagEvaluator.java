package io.sluice.lag;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Threshold-free consumer status per partition, after Burrow's evaluation rules, over a sliding window
 * of the last {@code windowSize} samples (taken on an interval by the caller). No I/O; the clock is
 * injected; confine an instance to one thread.
 *
 * <p>Rules, in order, once the window is full (before that the status is {@link LagStatus#OK}):
 * <ol>
 *   <li>a sample of the window has lag 0 → {@code OK} (the consumer caught up during the window);</li>
 *   <li>the committed offset did not change over the window (lag &gt; 0 throughout):
 *       records in flight in the newest sample → {@code STALL} (the consumer reads but nothing becomes
 *       final: the function is down, the breaker is open, a batch keeps failing);
 *       nothing in flight → {@code STOP} (the consumer stopped consuming: paused with nothing pending, or
 *       no longer polling);</li>
 *   <li>the committed offset moved and the lag rose in every interval of the window → {@code WARN}
 *       (the consumer commits but falls behind);</li>
 *   <li>otherwise {@code OK}.</li>
 * </ol>
 * A committed offset that goes backwards (a reset) starts the window over.
 *
 * @param <K> the partition key type (e.g. {@code TopicPartition}, or a string)
 */
public final class LagEvaluator<K> {
    /** Smallest accepted window: three samples give two intervals to compare. */
    public static final int MIN_WINDOW = 3;

    private final int windowSize;
    private final LongSupplier clock;
    private final Map<K, ArrayDeque<LagSample>> windows = new HashMap<>();

    /**
     * @param windowSize samples per window, at least {@value #MIN_WINDOW}
     * @param clock      wall clock in milliseconds (e.g. {@code System::currentTimeMillis})
     */
    public LagEvaluator(int windowSize, LongSupplier clock) {
        if (windowSize < MIN_WINDOW) {
            throw new IllegalArgumentException("windowSize must be >= " + MIN_WINDOW + ", got " + windowSize);
        }
        this.windowSize = windowSize;
        this.clock = clock;
    }

    /** Adds a sample of {@code key} taken now and returns the partition's new verdict. */
    public LagVerdict observe(K key, long committed, long endOffset, int inFlight) {
        ArrayDeque<LagSample> w = windows.computeIfAbsent(key, k -> new ArrayDeque<>(windowSize + 1));
        LagSample last = w.peekLast();
        if (last != null && committed >= 0 && last.committed() > committed) {
            w.clear(); // reset / rewind: judge the new position on its own
        }
        w.addLast(new LagSample(clock.getAsLong(), committed, endOffset, inFlight));
        while (w.size() > windowSize) {
            w.removeFirst();
        }
        return evaluate(key);
    }

    /** The current verdict of {@code key} ({@code OK} for an unknown key or a window that is not full). */
    public LagVerdict evaluate(K key) {
        ArrayDeque<LagSample> w = windows.get(key);
        if (w == null || w.size() < windowSize) {
            return new LagVerdict(LagStatus.OK, "window not full yet", w == null ? 0 : w.size());
        }
        List<LagSample> s = new ArrayList<>(w);
        int n = s.size();
        for (LagSample x : s) {
            if (x.lagRecords() == 0) {
                return new LagVerdict(LagStatus.OK, "caught up within the window", n);
            }
        }
        LagSample first = s.get(0);
        LagSample newest = s.get(n - 1);
        if (first.committed() == newest.committed()) {
            long spanMs = newest.timeMs() - first.timeMs();
            if (newest.inFlight() > 0) {
                return new LagVerdict(
                        LagStatus.STALL,
                        "no commit for " + spanMs + " ms with lag " + newest.lagRecords() + " and " + newest.inFlight()
                                + " record(s) in flight",
                        n);
            }
            return new LagVerdict(
                    LagStatus.STOP,
                    "no commit for " + spanMs + " ms with lag " + newest.lagRecords()
                            + " and nothing in flight (not consuming)",
                    n);
        }
        boolean risingEveryInterval = true;
        for (int i = 1; i < n && risingEveryInterval; i++) {
            risingEveryInterval = s.get(i).lagRecords() > s.get(i - 1).lagRecords();
        }
        if (risingEveryInterval) {
            return new LagVerdict(
                    LagStatus.WARN,
                    "committing, but lag rose in every interval (" + first.lagRecords() + " → " + newest.lagRecords()
                            + ")",
                    n);
        }
        return new LagVerdict(LagStatus.OK, "committing and not falling behind", n);
    }

    /** Drops partitions not in {@code keep} (revoked ones); returns the ones dropped. */
    public Set<K> retain(Set<K> keep) {
        Set<K> dropped = new java.util.HashSet<>(windows.keySet());
        dropped.removeAll(keep);
        dropped.forEach(windows::remove);
        return dropped;
    }

    public int windowSize() {
        return windowSize;
    }
}

package io.sluice.admin;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Recent snapshots of monotonic counters, for rates ("per second over the last interval") and deltas
 * over a longer span. Pure; confine to one thread.
 */
public final class CounterHistory {
    private record Snapshot(long timeMs, Map<String, Double> values) {}

    private final long keepMs;
    private final ArrayDeque<Snapshot> snapshots = new ArrayDeque<>();

    /** @param keepMs how much history to keep (the longest span {@link #delta} is asked for) */
    public CounterHistory(long keepMs) {
        this.keepMs = keepMs;
    }

    public void record(long nowMs, Map<String, Double> values) {
        snapshots.addLast(new Snapshot(nowMs, new HashMap<>(values)));
        while (snapshots.size() > 2 && snapshots.peekFirst().timeMs < nowMs - keepMs) {
            snapshots.removeFirst();
        }
    }

    /** Per-second rate of {@code name} between the last two snapshots (0 before two exist). */
    public double rate(String name) {
        if (snapshots.size() < 2) {
            return 0;
        }
        Iterator<Snapshot> it = snapshots.descendingIterator();
        Snapshot last = it.next();
        Snapshot prev = it.next();
        double dt = (last.timeMs - prev.timeMs) / 1000.0;
        if (dt <= 0) {
            return 0;
        }
        return Math.max(0, last.values.getOrDefault(name, 0.0) - prev.values.getOrDefault(name, 0.0)) / dt;
    }

    /** Increase of {@code name} from the oldest snapshot within {@code spanMs} of the newest to the newest. */
    public double delta(String name, long spanMs) {
        if (snapshots.size() < 2) {
            return 0;
        }
        Snapshot last = snapshots.peekLast();
        Snapshot from = last;
        for (Iterator<Snapshot> it = snapshots.descendingIterator(); it.hasNext(); ) {
            Snapshot s = it.next();
            if (s.timeMs < last.timeMs - spanMs) {
                break;
            }
            from = s;
        }
        return Math.max(0, last.values.getOrDefault(name, 0.0) - from.values.getOrDefault(name, 0.0));
    }

    /** The newest value of {@code name} (0 when never recorded). */
    public double latest(String name) {
        Snapshot last = snapshots.peekLast();
        return last == null ? 0 : last.values.getOrDefault(name, 0.0);
    }

    /** Time span covered by the snapshots, in ms. */
    public long spanMs() {
        return snapshots.size() < 2 ? 0 : snapshots.peekLast().timeMs - snapshots.peekFirst().timeMs;
    }
}

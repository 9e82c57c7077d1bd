package io.sluice.ops.partitions;

import java.util.Locale;

/**
 * Follows the group after the change, one sample a second: the rebalance is over when the group is stable and owns
 * all M partitions; the lag is back to normal when it is at most the baseline measured before the change (plus
 * {@code slack}); the change is settled when both hold for {@code settleMs} without a break. Pure logic.
 */
final class RebalanceFollow {
    private final long startMs;
    private final int to;
    private final long normalLag;
    private final long settleMs;
    private long peakLag;
    private long peakAtMs = -1;
    private long rebalancedAtMs = -1;
    private long normalAtMs = -1;
    private long okSinceMs = -1;
    private long lastMs;
    private int samples;

    /**
     * @param baselineLag the largest lag seen in the pre-check samples
     * @param slack       records of lag above the baseline still counted as normal
     */
    RebalanceFollow(long startMs, int to, long baselineLag, long slack, long settleMs) {
        this.startMs = startMs;
        this.to = to;
        this.normalLag = baselineLag + slack;
        this.settleMs = settleMs;
    }

    /** One sample; true once settled. */
    boolean sample(long nowMs, boolean stable, int assignedOfTopic, long lag) {
        samples++;
        lastMs = nowMs;
        if (lag > peakLag) {
            peakLag = lag;
            peakAtMs = nowMs;
        }
        boolean rebalanced = stable && assignedOfTopic == to;
        if (rebalanced && rebalancedAtMs < 0) {
            rebalancedAtMs = nowMs;
        }
        boolean normal = lag <= normalLag;
        boolean ok = rebalancedAtMs >= 0 && rebalanced && normal;
        if (ok) {
            if (okSinceMs < 0) {
                okSinceMs = nowMs;
            }
            if (normalAtMs < 0) {
                normalAtMs = nowMs;
            }
        } else {
            okSinceMs = -1;
            if (rebalancedAtMs >= 0 && !normal) {
                normalAtMs = -1; // back above normal after the rebalance: the time back to normal counts from later
            }
        }
        return okSinceMs >= 0 && nowMs - okSinceMs >= settleMs;
    }

    boolean rebalanced() {
        return rebalancedAtMs >= 0;
    }

    long rebalanceMs() {
        return rebalancedAtMs < 0 ? -1 : rebalancedAtMs - startMs;
    }

    long peakLag() {
        return peakLag;
    }

    long backToNormalMs() {
        return normalAtMs < 0 ? -1 : normalAtMs - startMs;
    }

    String summary(String topic, int from) {
        return String.format(
                Locale.ROOT,
                """
                summary: %s %d -> %d partitions
                  rebalance          %s (group stable, all %d partitions assigned)
                  lag peak           %d records%s (normal: at most %d)
                  back to normal     %s
                  followed           %.1f s, %d samples""",
                topic,
                from,
                to,
                rebalancedAtMs < 0 ? "not finished" : String.format(Locale.ROOT, "%.1f s", rebalanceMs() / 1000.0),
                to,
                peakLag,
                peakAtMs < 0 ? "" : String.format(Locale.ROOT, " at +%.1f s", (peakAtMs - startMs) / 1000.0),
                normalLag,
                normalAtMs < 0
                        ? "not yet"
                        : String.format(Locale.ROOT, "%.1f s after the change", backToNormalMs() / 1000.0),
                (lastMs - startMs) / 1000.0,
                samples);
    }
}

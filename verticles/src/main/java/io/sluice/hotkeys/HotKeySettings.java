package io.sluice.hotkeys;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;

/**
 * {@code hotKeys}: the per-partition top keys of the producer and of every pipeline's consumer, over a sliding
 * window of {@code windowSeconds} made of {@code intervalSeconds} slices (a ring of frequent-items sketches, merged
 * when read). Memory is bounded: at most {@code sketchSize} counters per partition and slice.
 *
 * @param enabled     count keys at all (default true; off costs nothing on the hot paths)
 * @param intervalMs  one slice of the window; what a reader sees lags the traffic by up to one slice
 * @param intervals   slices in the window ({@code windowSeconds / intervalSeconds})
 * @param sketchSize  the sketch's map size (a power of two): a key's count is off by at most 3.5 / sketchSize of
 *                    the partition's records (128: 2.7 points of share)
 * @param topN        keys per partition in {@code /api/status}
 * @param metricsTopN keys per partition in {@code /metrics} ({@code sluice.hotkeys.share}; 0 = none)
 */
public record HotKeySettings(
        boolean enabled, long intervalMs, int intervals, int sketchSize, int topN, int metricsTopN) {
    public static final HotKeySettings DEFAULTS = new HotKeySettings(true, 5_000, 12, 128, 5, 3);

    public HotKeySettings {
        if (intervalMs < 100
                || intervals < 1
                || sketchSize < 8
                || Integer.bitCount(sketchSize) != 1
                || topN < 1
                || metricsTopN < 0
                || metricsTopN > topN) {
            throw new IllegalArgumentException("invalid hot-key settings");
        }
    }

    public long windowMs() {
        return intervalMs * intervals;
    }

    private static final Key<Boolean> ENABLED = Key.bool(
            "enabled",
            DEFAULTS.enabled(),
            "count keys per topic and partition "
                    + "on the producer (acknowledged sends) and every pipeline's consumer (polled records): hotKeys in /api/status, "
                    + "sluice.hotkeys.share, the hot-keys command (docs/operations-partitions.md)");
    private static final Key<Long> INTERVAL_SECONDS = Key.longInt(
            "intervalSeconds",
            DEFAULTS.intervalMs() / 1000,
            1,
            3_600,
            "one slice of the sliding window; what is shown lags the traffic by up to one slice");
    private static final Key<Long> WINDOW_SECONDS = Key.longInt(
            "windowSeconds",
            DEFAULTS.windowMs() / 1000,
            1,
            86_400,
            "the sliding window: a multiple of intervalSeconds, at most 720 slices");
    private static final Key<Integer> SKETCH_SIZE = Key.integer(
            "sketchSize",
            DEFAULTS.sketchSize(),
            8,
            1 << 16,
            "counters per partition and slice of the frequent-items sketch, a power of two: a key's count is off by at "
                    + "most 3.5 / sketchSize of its partition's records");
    private static final Key<Integer> TOP_N =
            Key.integer("topN", DEFAULTS.topN(), 1, 100, "keys per partition in /api/status");
    private static final Key<Integer> METRICS_TOP_N = Key.integer(
            "metricsTopN",
            DEFAULTS.metricsTopN(),
            0,
            20,
            "keys per partition in /metrics (sluice.hotkeys.share; at most topN, 0 = none)");
    /** {@code hotKeys}. */
    public static final Section SECTION = Section.of(
            "hot keys per partition, producer and consumer side",
            ENABLED,
            INTERVAL_SECONDS,
            WINDOW_SECONDS,
            SKETCH_SIZE,
            TOP_N,
            METRICS_TOP_N);

    public static HotKeySettings from(Cfg c) {
        boolean enabled = c.get(ENABLED);
        long interval = c.get(INTERVAL_SECONDS) * 1000;
        long window = c.get(WINDOW_SECONDS) * 1000;
        int size = c.get(SKETCH_SIZE);
        int top = c.get(TOP_N);
        int metricsTop = c.get(METRICS_TOP_N);
        c.done();
        if (window % interval != 0 || window / interval > 720) {
            throw new ConfigException(
                    c.key("windowSeconds"),
                    "must be a multiple of intervalSeconds (" + interval / 1000 + ") and at most 720 of them, got "
                            + window / 1000);
        }
        if (Integer.bitCount(size) != 1) {
            throw new ConfigException(c.key("sketchSize"), "must be a power of two (8, 16, …, 65536), got " + size);
        }
        if (metricsTop > top) {
            throw new ConfigException(c.key("metricsTopN"), "must be at most topN (" + top + "), got " + metricsTop);
        }
        return new HotKeySettings(enabled, interval, (int) (window / interval), size, top, metricsTop);
    }
}

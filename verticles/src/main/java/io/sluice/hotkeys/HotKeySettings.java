package io.sluice.hotkeys;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;

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
public record HotKeySettings(boolean enabled, long intervalMs, int intervals, int sketchSize, int topN, int metricsTopN) {
    public static final HotKeySettings DEFAULTS = new HotKeySettings(true, 5_000, 12, 128, 5, 3);

    public HotKeySettings {
        if (intervalMs < 100 || intervals < 1 || sketchSize < 8 || Integer.bitCount(sketchSize) != 1 || topN < 1
                || metricsTopN < 0 || metricsTopN > topN) {
            throw new IllegalArgumentException("invalid hot-key settings");
        }
    }

    public long windowMs() {
        return intervalMs * intervals;
    }

    public static HotKeySettings from(Cfg c) {
        boolean enabled = c.bool("enabled", DEFAULTS.enabled());
        long interval = c.longIn("intervalSeconds", DEFAULTS.intervalMs() / 1000, 1, 3_600) * 1000;
        long window = c.longIn("windowSeconds", DEFAULTS.windowMs() / 1000, 1, 86_400) * 1000;
        int size = c.intIn("sketchSize", DEFAULTS.sketchSize(), 8, 1 << 16);
        int top = c.intIn("topN", DEFAULTS.topN(), 1, 100);
        int metricsTop = c.intIn("metricsTopN", DEFAULTS.metricsTopN(), 0, 20);
        c.done();
        if (window % interval != 0 || window / interval > 720) {
            throw new ConfigException(c.key("windowSeconds"), "must be a multiple of intervalSeconds (" + interval / 1000
                    + ") and at most 720 of them, got " + window / 1000);
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

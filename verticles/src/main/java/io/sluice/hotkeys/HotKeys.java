package io.sluice.hotkeys;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The process's hot-key windows: one for the producer's sends, one per pipeline's consumer. Serves the
 * {@code hotKeys} section of {@code /api/status} ({@link #toJson()}) and the gauge {@code sluice.hotkeys.share}
 * (tags {@code side}, {@code pipeline}, {@code topic}, {@code partition}, {@code rank}, {@code key}; value = the key's
 * share of its partition's records in the window), top {@code metricsTopN} per partition only: rows of keys that
 * left the top are removed on each {@link #refreshMeters()}, so the series stay bounded by partitions × N.
 */
public final class HotKeys {
    /** The {@code pipeline} tag of the producer's rows. */
    static final String PRODUCER = "producer";

    private final HotKeySettings settings;
    private final LongSupplier clock;
    private final KeyWindow producer;
    private final Map<String, KeyWindow> consumers = new ConcurrentHashMap<>();
    private final MultiGauge shares;
    private io.vertx.core.Vertx vertx;
    private long timer = -1;

    public HotKeys(HotKeySettings settings, MeterRegistry registry, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
        this.producer = new KeyWindow(settings, clock);
        this.shares = registry == null
                ? null
                : MultiGauge.builder("sluice.hotkeys.share")
                        .description("a top key's share of its partition's records over the hot-key window")
                        .register(registry);
    }

    /** No counting anywhere (hot keys disabled). */
    public static HotKeys off() {
        return new HotKeys(new HotKeySettings(false, 5_000, 1, 8, 1, 0), null, System::currentTimeMillis);
    }

    public HotKeySettings settings() {
        return settings;
    }

    /** The producer's window: keys of acknowledged sends, written on the producer verticle's event loop. */
    public KeyWindow producer() {
        return settings.enabled() ? producer : KeyWindow.off();
    }

    /** A pipeline's window: keys of polled records, written on its consumer verticle's event loop. */
    public KeyWindow consumer(String pipeline) {
        return settings.enabled()
                ? consumers.computeIfAbsent(pipeline, p -> new KeyWindow(settings, clock))
                : KeyWindow.off();
    }

    /** The {@code hotKeys} section of {@code /api/status}. */
    public JsonObject toJson() {
        JsonObject out = new JsonObject()
                .put("enabled", settings.enabled())
                .put("windowSeconds", settings.windowMs() / 1000)
                .put("intervalSeconds", settings.intervalMs() / 1000)
                .put("topN", settings.topN());
        if (!settings.enabled()) {
            return out;
        }
        out.put("producer", json(producer.snapshot(settings.topN())));
        JsonObject cs = new JsonObject();
        new java.util.TreeMap<>(consumers).forEach((name, w) -> cs.put(name, json(w.snapshot(settings.topN()))));
        return out.put("consumer", cs);
    }

    static JsonObject json(KeyWindow.Snapshot s) {
        JsonArray parts = new JsonArray();
        long records = 0;
        for (KeyWindow.PartitionKeys p : s.partitions()) {
            records += p.records();
            JsonArray keys = new JsonArray();
            for (KeyWindow.HotKey k : p.keys()) {
                keys.add(new JsonObject()
                        .put("key", k.key())
                        .put("records", k.records())
                        .put("share", round(k.share(), 4))
                        .put("perSecond", round(k.perSecond(), 1))
                        .put("maxError", k.maxError()));
            }
            parts.add(new JsonObject()
                    .put("topic", p.topic())
                    .put("partition", p.partition())
                    .put("records", p.records())
                    .put("unkeyed", p.unkeyed())
                    .put("perSecond", round(p.perSecond(), 1))
                    .put("keys", keys));
        }
        return new JsonObject()
                .put("spanSeconds", round(s.spanSeconds(), 1))
                .put("records", records)
                .put("unkeyed", s.unkeyed())
                .put("partitions", parts);
    }

    /** Refreshes the gauge rows every slice, on a timer of {@code vertx}, until {@link #stop()}. */
    public void start(io.vertx.core.Vertx vertx) {
        if (shares != null && settings.enabled() && settings.metricsTopN() > 0 && this.vertx == null) {
            this.vertx = vertx;
            timer = vertx.setPeriodic(settings.intervalMs(), id -> refreshMeters());
        }
    }

    public void stop() {
        if (vertx != null) {
            vertx.cancelTimer(timer);
        }
    }

    /** Replaces the rows of {@code sluice.hotkeys.share} with the current top keys (on a timer, any thread). */
    public void refreshMeters() {
        if (shares == null || !settings.enabled() || settings.metricsTopN() == 0) {
            return;
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        addRows(rows, "producer", PRODUCER, producer.snapshot(settings.metricsTopN()));
        consumers.forEach((name, w) -> addRows(rows, "consumer", name, w.snapshot(settings.metricsTopN())));
        shares.register(rows, true);
    }

    private static void addRows(List<MultiGauge.Row<?>> rows, String side, String pipeline, KeyWindow.Snapshot s) {
        for (KeyWindow.PartitionKeys p : s.partitions()) {
            int rank = 1;
            for (KeyWindow.HotKey k : p.keys()) {
                rows.add(MultiGauge.Row.of(
                        Tags.of(
                                "side",
                                side,
                                "pipeline",
                                pipeline,
                                "topic",
                                p.topic(),
                                "partition",
                                Integer.toString(p.partition()),
                                "rank",
                                Integer.toString(rank++),
                                "key",
                                k.key()),
                        k.share()));
            }
        }
    }

    private static double round(double d, int places) {
        double f = Math.pow(10, places);
        return Math.round(d * f) / f;
    }
}

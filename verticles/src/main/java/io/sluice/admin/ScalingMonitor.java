package io.sluice.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.pipeline.Pipeline;
import io.sluice.scaling.ScalingSignal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Feeds each pipeline's {@link ScalingSignal} on the admin tick (its lag from {@link LagMonitor}'s latest view, its
 * delivered counter, the group's members and partitions from {@link KafkaProbe}) and exports the gauge
 * {@code sluice.consumer.recommended} (tag {@code pipeline}) and the status field {@code recommendedConsumers}.
 * Confined to the admin verticle's context; the gauge reads a concurrent map.
 */
final class ScalingMonitor {
    static final long WINDOW_MS = 60_000;
    /** How often the group's members and the topics' partitions are asked of Kafka. */
    static final long SHAPE_EVERY_MS = 5_000;

    private final List<Pipeline> pipelines;
    private final java.util.function.Supplier<KafkaProbe> kafka;
    private final MeterRegistry registry;
    private final LongSupplier clock;
    private final Map<String, ScalingSignal> signals = new HashMap<>();
    private final Map<String, int[]> shapes = new HashMap<>();
    private final Set<String> asking = new HashSet<>();
    private final Map<String, Long> askedAtMs = new HashMap<>();
    private final Map<String, ScalingSignal.Recommendation> latest = new ConcurrentHashMap<>();
    private final List<Meter> meters = new ArrayList<>();

    ScalingMonitor(
            MeterRegistry registry,
            List<Pipeline> pipelines,
            java.util.function.Supplier<KafkaProbe> kafka,
            LongSupplier clock) {
        this.pipelines = List.copyOf(pipelines);
        this.kafka = kafka;
        this.registry = registry;
        this.clock = clock;
        for (Pipeline p : this.pipelines) {
            String n = p.settings().name();
            signals.put(n, new ScalingSignal(WINDOW_MS));
            meters.add(Gauge.builder("sluice.consumer.recommended", latest, m -> {
                        ScalingSignal.Recommendation r = m.get(n);
                        return r == null ? Double.NaN : r.consumers();
                    })
                    .tag("pipeline", n)
                    .description("consumers the group needs (lag trend and throughput; at most the partitions)")
                    .register(registry));
        }
    }

    /** One sample per pipeline from the lag view of the last refresh. */
    void tick(LagMonitor lag) {
        long now = clock.getAsLong();
        for (Pipeline p : pipelines) {
            String n = p.settings().name();
            LagMonitor.View v = lag.view(n);
            if (!v.sampled()) {
                continue;
            }
            long records = 0;
            for (PartitionLag pl : v.partitions()) {
                records += pl.status().lagRecords();
            }
            ScalingSignal s = signals.get(n);
            s.observe(now, records, p.metrics().deliveredCount());
            if (now - askedAtMs.getOrDefault(n, Long.MIN_VALUE / 2) >= SHAPE_EVERY_MS && asking.add(n)) {
                askedAtMs.put(n, now);
                kafka.get()
                        .groupShape(p.settings().groupId(), p.settings().topics())
                        .onComplete(ar -> asking.remove(n))
                        .onSuccess(shape -> shapes.put(n, shape));
            }
            int[] shape = shapes.getOrDefault(n, new int[] {1, v.partitions().size()});
            latest.put(
                    n,
                    s.recommend(
                            shape[0],
                            Math.max(shape[1], v.partitions().size()),
                            v.partitions().size()));
        }
    }

    /** {@code recommendedConsumers} and its basis for {@code /api/status} (null before the first sample). */
    JsonObject json(String pipeline) {
        ScalingSignal.Recommendation r = latest.get(pipeline);
        if (r == null) {
            return null;
        }
        return new JsonObject()
                .put("recommendedConsumers", r.consumers())
                .put("members", r.members())
                .put("partitions", r.partitions())
                .put("deliveredPerSecond", Math.round(r.deliveredPerSecond() * 10) / 10.0)
                .put("lagGrowthPerSecond", Math.round(r.lagGrowthPerSecond() * 10) / 10.0)
                .put("lag", r.lag())
                .put("capacityPerConsumer", Math.round(r.capacityPerConsumer() * 10) / 10.0)
                .put("basis", r.basis());
    }

    /** Adds {@code recommendedConsumers} and {@code scaling} to each pipeline of a {@code /api/status} body. */
    JsonObject addTo(JsonObject status) {
        for (Object o : status.getJsonArray("pipelines", new io.vertx.core.json.JsonArray())) {
            JsonObject p = (JsonObject) o;
            JsonObject s = json(p.getString("name"));
            if (s != null) {
                p.put("recommendedConsumers", s.getInteger("recommendedConsumers"))
                        .put("scaling", s);
            }
        }
        return status;
    }

    void close() {
        meters.forEach(registry::remove);
    }
}

package io.sluice.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sluice.consumer.PartitionStatus;
import io.sluice.lag.LagEvaluator;
import io.sluice.lag.LagVerdict;
import io.sluice.pipeline.Pipeline;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every pipeline's per-partition offsets on the admin verticle's interval (the consumer reads
 * end offsets on its own Kafka thread; nothing here blocks), feeds the {@link LagEvaluator}, keeps the
 * latest view for {@code /api/status} and exports per-partition gauges:
 * {@code sluice.consumer.lag.records}, {@code sluice.consumer.lag.seconds}, {@code sluice.consumer.lag.status}
 * (0 OK, 1 WARN, 2 STALL, 3 STOP), tagged {@code pipeline}, {@code topic}, {@code partition}. Gauges of
 * partitions that are no longer assigned are removed. Confined to the admin verticle's context.
 */
final class LagMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(LagMonitor.class);
    private static final long STATUS_TIMEOUT_MS = 5_000;

    /** Latest values behind one partition's gauges (read by the registry from any thread). */
    private static final class Cell {
        volatile long lagRecords;
        volatile double lagSeconds;
        volatile int status;
        final List<Meter> meters = new ArrayList<>(3);
    }

    /** The latest sample of one pipeline. */
    record View(List<PartitionLag> partitions, long sampledAtMs, boolean sampled, String error) {}

    private final Context context;
    private final MeterRegistry registry;
    private final LongSupplier clock;
    private final List<Pipeline> pipelines;
    private final Map<String, LagEvaluator<String>> evaluators = new HashMap<>();
    private final Map<String, View> views = new HashMap<>();
    private final Map<String, Cell> cells = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();

    LagMonitor(
            Context context, MeterRegistry registry, List<Pipeline> pipelines, int windowSamples, LongSupplier clock) {
        this.context = context;
        this.registry = registry;
        this.clock = clock;
        this.pipelines = List.copyOf(pipelines);
        for (Pipeline p : this.pipelines) {
            evaluators.put(p.settings().name(), new LagEvaluator<>(windowSamples, clock));
            views.put(p.settings().name(), new View(List.of(), 0, false, "not sampled yet"));
        }
    }

    /** Samples every pipeline once (skipping one whose previous sample has not answered yet). */
    Future<Void> refresh() {
        List<Future<Void>> all = new ArrayList<>();
        for (Pipeline p : pipelines) {
            all.add(refresh(p));
        }
        return Future.join(all).mapEmpty();
    }

    private Future<Void> refresh(Pipeline p) {
        String name = p.settings().name();
        if (p.consumer() == null || !inProgress.add(name)) {
            return Future.succeededFuture();
        }
        Future<List<PartitionStatus>> status =
                p.consumer().partitionStatus().timeout(STATUS_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        return Future.fromCompletionStage(status.toCompletionStage(), context)
                .onComplete(ar -> inProgress.remove(name))
                .onSuccess(list -> apply(name, list))
                .onFailure(err -> {
                    View old = views.get(name);
                    views.put(
                            name,
                            new View(
                                    old.partitions(),
                                    old.sampledAtMs(),
                                    old.sampled(),
                                    "consumer did not answer: " + err));
                    LOG.warn("pipeline={} lag sample failed: {}", name, err.toString());
                })
                .<Void>mapEmpty()
                .otherwiseEmpty();
    }

    private void apply(String pipeline, List<PartitionStatus> list) {
        LagEvaluator<String> eval = evaluators.get(pipeline);
        List<PartitionLag> out = new ArrayList<>(list.size());
        Set<String> present = new HashSet<>();
        for (PartitionStatus s : list) {
            String tp = s.topic() + "-" + s.partition();
            present.add(tp);
            LagVerdict v = eval.observe(tp, s.committed(), s.endOffset(), s.inFlight());
            out.add(new PartitionLag(s, v));
            Cell c = cells.computeIfAbsent(pipeline + "/" + tp, k -> newCell(pipeline, s.topic(), s.partition()));
            c.lagRecords = s.lagRecords();
            c.lagSeconds = s.lagSeconds();
            c.status = v.status().code();
        }
        for (String gone : eval.retain(present)) {
            Cell c = cells.remove(pipeline + "/" + gone);
            if (c != null) {
                c.meters.forEach(registry::remove);
            }
        }
        views.put(pipeline, new View(List.copyOf(out), clock.getAsLong(), true, null));
    }

    private Cell newCell(String pipeline, String topic, int partition) {
        Cell c = new Cell();
        Tags tags = Tags.of("pipeline", pipeline, "topic", topic, "partition", Integer.toString(partition));
        c.meters.add(Gauge.builder("sluice.consumer.lag.records", c, x -> x.lagRecords)
                .tags(tags)
                .description("log end offset minus committed offset")
                .register(registry));
        c.meters.add(Gauge.builder("sluice.consumer.lag.seconds", c, x -> x.lagSeconds)
                .tags(tags)
                .baseUnit("seconds")
                .description("age of the oldest record not yet final (0 when idle)")
                .register(registry));
        c.meters.add(Gauge.builder("sluice.consumer.lag.status", c, x -> x.status)
                .tags(tags)
                .description("0 OK, 1 WARN, 2 STALL, 3 STOP")
                .register(registry));
        return c;
    }

    View view(String pipeline) {
        return views.get(pipeline);
    }

    /** Removes every lag gauge (admin stop). */
    void close() {
        cells.values().forEach(c -> c.meters.forEach(registry::remove));
        cells.clear();
    }
}

package io.sluice.admin;

import io.sluice.batch.BatchSettings;
import io.sluice.bus.Addresses;
import io.sluice.consumer.PauseState;
import io.sluice.generator.GeneratorVerticle;
import io.sluice.pipeline.Pipeline;
import io.sluice.pipeline.PipelineSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Builds the read-only answers: {@code /api/status} and {@code /health/ready}. Runs on the admin
 * verticle's context; every input is either a snapshot kept there or an asynchronous question.
 */
final class StatusView {
    static final DeliveryOptions BUS = new DeliveryOptions().setSendTimeout(3_000);
    /** Readiness counts the producer as failing when, over this span, sends failed and none succeeded. */
    static final long PRODUCER_FAILURE_SPAN_MS = 10_000;

    private final Vertx vertx;
    private final Context context;
    private final List<Pipeline> pipelines;
    private final LagMonitor lag;
    private final CounterHistory history;
    private final MeterReader meters;
    private final KafkaProbe kafka;
    private final boolean producerEnabled;
    private final boolean generatorEnabled;
    private final long kafkaStaleMs;

    StatusView(
            Vertx vertx,
            Context context,
            List<Pipeline> pipelines,
            LagMonitor lag,
            CounterHistory history,
            MeterReader meters,
            KafkaProbe kafka,
            boolean producerEnabled,
            boolean generatorEnabled,
            long refreshMs) {
        this.vertx = vertx;
        this.context = context;
        this.pipelines = pipelines;
        this.lag = lag;
        this.history = history;
        this.meters = meters;
        this.kafka = kafka;
        this.producerEnabled = producerEnabled;
        this.generatorEnabled = generatorEnabled;
        this.kafkaStaleMs = Math.max(5_000, refreshMs * 3);
    }

    // ---------------------------------------------------------------- status

    Future<JsonObject> status() {
        Future<JsonObject> producer = producer();
        Future<JsonObject> generator = generator();
        List<Future<JsonObject>> ps = new ArrayList<>();
        for (Pipeline p : pipelines) {
            ps.add(pipeline(p));
        }
        return Future.all(producer, generator, Future.all(ps)).map(v -> {
            JsonArray arr = new JsonArray();
            ps.forEach(f -> arr.add(f.result()));
            KafkaProbe.Health h = kafka.health();
            return new JsonObject()
                    .put("timeMs", System.currentTimeMillis())
                    .put("kafka", new JsonObject().put("reachable", kafkaOk(h)).put("detail", h.detail()))
                    .put("producer", producer.result())
                    .put("generator", generator.result())
                    .put("pipelines", arr);
        });
    }

    private Future<JsonObject> producer() {
        JsonObject out = new JsonObject()
                .put("enabled", producerEnabled)
                .put("producedPerSecond", round(history.rate("produced")))
                .put("rejectedPerSecond", round(history.rate("producer.rejected")))
                .put("produced", (long) history.latest("produced"))
                .put("dlq", (long) history.latest("producer.invalid"))
                .put(
                        "inFlight",
                        new JsonObject()
                                .put("messages", (long) meters.gauge("sluice.producer.inflight.messages", null))
                                .put("bytes", (long) meters.gauge("sluice.producer.inflight.bytes", null)))
                .put("ackLatencyMs", meters.percentilesMs("sluice.producer.ack.latency", null))
                .put("fatal", meters.gauge("sluice.producer.fatal", null) > 0)
                .put("spool", spoolJson());
        if (!producerEnabled) {
            return Future.succeededFuture(out);
        }
        return onContext(vertx.eventBus().<JsonObject>request(Addresses.PRODUCER_RATE, new JsonObject(), BUS))
                .map(reply -> out.put("rate", reply.body()))
                .otherwise(err -> out.put("rate", new JsonObject().put("error", err.getMessage())));
    }

    /** The producer's durable spool (issue 16), from its meters: {@code enabled:false} when it has none. */
    private JsonObject spoolJson() {
        if (meters.gaugeMissing("sluice.producer.spool.events")) {
            return new JsonObject().put("enabled", false);
        }
        return new JsonObject()
                .put("enabled", true)
                .put("events", (long) meters.gauge("sluice.producer.spool.events", null))
                .put("bytes", (long) meters.gauge("sluice.producer.spool.bytes", null))
                .put("oldestAgeSeconds", round(meters.gauge("sluice.producer.spool.oldest.age.seconds", null)))
                .put("drainRatePerSecond", round(meters.gauge("sluice.producer.spool.drain.rate", null)))
                .put("drainLimitPerSecond", (long) meters.gauge("sluice.producer.spool.drain.limit", null))
                .put("held", (long) meters.gauge("sluice.producer.spool.held", null))
                .put("corrupt", (long) meters.gauge("sluice.producer.spool.corrupt", null))
                .put("kafkaDown", meters.gauge("sluice.producer.kafka.down", null) > 0);
    }

    private Future<JsonObject> generator() {
        JsonObject out = new JsonObject()
                .put("enabled", generatorEnabled)
                .put("generatedPerSecond", round(history.rate("generated")));
        if (!generatorEnabled) {
            return Future.succeededFuture(out);
        }
        return onContext(vertx.eventBus().<JsonObject>request(GeneratorVerticle.RATE_ADDRESS, new JsonObject(), BUS))
                .map(reply -> out.put("rate", reply.body().getValue("rate"))
                        .put("generated", reply.body().getValue("generated")))
                .otherwise(err -> out.put("error", err.getMessage()));
    }

    private Future<JsonObject> pipeline(Pipeline p) {
        PipelineSettings s = p.settings();
        String n = s.name();
        LagMonitor.View view = lag.view(n);
        JsonArray partitions = new JsonArray();
        JsonArray assignment = new JsonArray();
        long lagRecords = 0;
        double maxLagSeconds = 0;
        String worst = "OK";
        for (PartitionLag pl : view.partitions()) {
            partitions.add(pl.toJson());
            assignment.add(pl.status().topic() + "-" + pl.status().partition());
            lagRecords += pl.status().lagRecords();
            maxLagSeconds = Math.max(maxLagSeconds, pl.status().lagSeconds());
            if (pl.verdict().status().code()
                    > io.sluice.lag.LagStatus.valueOf(worst).code()) {
                worst = pl.verdict().status().name();
            }
        }
        BatchSettings b = p.tuning().batch();
        JsonObject out = new JsonObject()
                .put("name", n)
                .put("topics", new JsonArray(s.topics()))
                .put("groupId", s.groupId())
                .put("ordering", s.ordering().configName())
                .put("lanes", s.lanes())
                .put("breaker", p.breakerState())
                .put(
                        "health",
                        new JsonObject()
                                .put("state", p.health().state().name().toLowerCase(Locale.ROOT))
                                .put("ok", p.health().ok())
                                .put("detail", p.health().detail()))
                .put("maxConcurrency", p.tuning().maxConcurrency())
                .put("batch", batchJson(b))
                .put("batching", batchingJson(p.batchingStats()))
                .put(
                        "inFlight",
                        new JsonObject()
                                .put("records", (long) meters.gauge("sluice.consumer.inflight.records", n))
                                .put("bytes", (long) meters.gauge("sluice.consumer.inflight.bytes", n))
                                .put("maxRecords", s.inFlightMaxRecords())
                                .put("maxBytes", s.inFlightMaxBytes()))
                .put(
                        "rates",
                        new JsonObject()
                                .put("polledPerSecond", round(history.rate(n + ".polled")))
                                .put("deliveredPerSecond", round(history.rate(n + ".delivered")))
                                .put("committedPerSecond", round(history.rate(n + ".committed")))
                                .put("invocationsPerSecond", round(history.rate(n + ".invocations")))
                                .put("failedInvocationsPerSecond", round(history.rate(n + ".invocations.failed"))))
                .put(
                        "totals",
                        new JsonObject()
                                .put("delivered", (long) history.latest(n + ".delivered"))
                                .put("committed", (long) history.latest(n + ".committed"))
                                .put("invocations", (long) history.latest(n + ".invocations"))
                                .put("dlq", (long) history.latest(n + ".dlq")))
                .put("invokeLatencyMs", meters.percentilesMs("sluice.dispatch.invoke.latency", n))
                .put("assignment", assignment)
                .put(
                        "lag",
                        new JsonObject()
                                .put("records", lagRecords)
                                .put("maxSeconds", round(maxLagSeconds))
                                .put("worstStatus", worst)
                                .put("sampledAtMs", view.sampledAtMs())
                                .put("error", view.error()))
                .put("partitions", partitions);
        var consumer = p.consumer();
        if (consumer == null) {
            boolean manual = p.tuning().manualPause();
            return Future.succeededFuture(out.put("paused", manual)
                    .put("pauseReasons", manual ? new JsonArray().add("manual") : new JsonArray()));
        }
        return onContext(consumer.pauseReasons().timeout(3, TimeUnit.SECONDS))
                .map(reasons -> out.put("paused", !reasons.isEmpty()).put("pauseReasons", reasonsJson(reasons)))
                .otherwise(err -> out.put("paused", consumer.paused()).put("pauseReasons", new JsonArray()));
    }

    static JsonObject batchJson(BatchSettings b) {
        return new JsonObject()
                .put("mode", b.mode().configName())
                .put("maxRecords", b.maxRecords())
                .put("maxBytes", b.maxBytes())
                .put("lingerMs", b.lingerMs())
                .put("maxWaitMs", b.maxWaitMs());
    }

    /** The effective batching of the last window: what the adaptive policy chose, and where records wait. */
    static JsonObject batchingJson(io.sluice.batch.BatchStats.Snapshot st) {
        JsonArray lanes = new JsonArray();
        for (io.sluice.batch.Lanes.Backlog l : st.largestBacklogs()) {
            lanes.add(new JsonObject()
                    .put("topicPartition", l.topicPartition())
                    .put("lane", l.lane())
                    .put("queued", l.queued())
                    .put("inFlight", l.inFlight())
                    .put("oldestWaitMs", l.oldestWaitMs()));
        }
        return new JsonObject()
                .put("mode", st.mode())
                .put("batchesPerSecond", round(st.batchesPerSecond()))
                .put("meanRecords", round(st.meanRecords()))
                .put("meanPartitions", round(st.meanPartitions()))
                .put("meanLanes", round(st.meanLanes()))
                .put("meanFillMs", round(st.meanFillMs()))
                .put("maxFillMs", st.maxFillMs())
                .put("shareFull", round(st.shareFull()))
                .put("queuedRecords", st.queuedRecords())
                .put("inFlightBatches", st.inFlightBatches())
                .put("largestBacklogs", lanes);
    }

    static JsonArray reasonsJson(Set<PauseState.Reason> reasons) {
        JsonArray a = new JsonArray();
        reasons.forEach(r -> a.add(r.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        return a;
    }

    // ---------------------------------------------------------------- readiness

    /** {@code {"status":"UP"|"DOWN","failed":[…],"checks":{name:{"ok","detail"}}}}. */
    Future<JsonObject> readiness() {
        JsonObject checks = new JsonObject();
        KafkaProbe.Health h = kafka.health();
        checks.put(
                "kafka",
                check(
                        kafkaOk(h),
                        kafkaOk(h)
                                ? h.detail()
                                : h.detail()
                                        + (h.atMs() > 0
                                                ? " (last check " + (System.currentTimeMillis() - h.atMs()) + " ms ago)"
                                                : "")));
        List<String> breakerOpen = new ArrayList<>();
        for (Pipeline p : pipelines) {
            if ("open".equals(p.breakerState())) {
                breakerOpen.add(p.settings().name());
            }
        }
        checks.put(
                "breaker",
                check(
                        breakerOpen.isEmpty(),
                        breakerOpen.isEmpty()
                                ? "no circuit breaker is open"
                                : "circuit breaker open in pipeline(s) " + breakerOpen));
        checks.put("dlq", dlqCheck());
        if (producerEnabled) {
            double failed = history.delta("producer.unavailable", PRODUCER_FAILURE_SPAN_MS);
            double ok = history.delta("produced", PRODUCER_FAILURE_SPAN_MS);
            boolean failing = failed > 0 && ok == 0;
            boolean fatal = meters.gauge("sluice.producer.fatal", null) > 0;
            checks.put(
                    "producer",
                    check(
                            !failing && !fatal,
                            fatal
                                    ? "the producer stopped on a fatal Kafka error (authentication, authorization, TLS or a missing topic; see the log)"
                                    : failing
                                            ? (long) failed + " send(s) failed and none succeeded in the last "
                                                    + PRODUCER_FAILURE_SPAN_MS / 1000 + " s"
                                            : "sending"));
        } else {
            checks.put("producer", check(true, "disabled"));
        }
        return consumers().map(consumer -> {
            checks.put("consumer", consumer);
            JsonArray failed = new JsonArray();
            checks.forEach(e -> {
                if (!((JsonObject) e.getValue()).getBoolean("ok")) {
                    failed.add(e.getKey());
                }
            });
            return new JsonObject()
                    .put("status", failed.isEmpty() ? "UP" : "DOWN")
                    .put("failed", failed)
                    .put("checks", checks);
        });
    }

    /** DOWN while a pipeline's DLQ writes fail (its records wait, not final: nothing is committed past them). */
    private JsonObject dlqCheck() {
        List<String> down = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Pipeline p : pipelines) {
            var h = p.dlqHealth();
            if (!h.available()) {
                down.add(p.settings().name() + ": DLQ topic " + p.settings().dlqTopic() + " unavailable for "
                        + Math.max(0, now - h.unavailableSinceMs()) / 1000 + " s, " + h.waitingRecords()
                        + " record(s) waiting (last error: " + h.lastError() + ")");
            }
        }
        return down.isEmpty() ? check(true, "DLQ writes succeed") : check(false, String.join("; ", down));
    }

    private Future<JsonObject> consumers() {
        List<Future<String>> problems = new ArrayList<>();
        List<String> fine = new ArrayList<>();
        for (Pipeline p : pipelines) {
            String n = p.settings().name();
            LagMonitor.View v = lag.view(n);
            if (!p.health().ok()) {
                problems.add(Future.succeededFuture(n + ": " + p.health().detail()));
            } else if (!v.sampled()) {
                problems.add(Future.succeededFuture(n + ": assignment not known yet (" + v.error() + ")"));
            } else if (!v.partitions().isEmpty()) {
                fine.add(n + ": " + v.partitions().size() + " partition(s)");
            } else {
                problems.add(kafka.idleReason(
                                p.settings().groupId(), p.settings().topics())
                        .map(reason -> {
                            if (reason == null) {
                                fine.add(n + ": idle (every partition is owned by another member)");
                                return null;
                            }
                            return n + ": " + reason;
                        }));
            }
        }
        return Future.all(problems).map(cf -> {
            List<String> bad = new ArrayList<>();
            problems.forEach(f -> {
                if (f.result() != null) {
                    bad.add(f.result());
                }
            });
            if (pipelines.isEmpty()) {
                return check(true, "no pipelines configured");
            }
            return bad.isEmpty() ? check(true, String.join("; ", fine)) : check(false, String.join("; ", bad));
        });
    }

    private boolean kafkaOk(KafkaProbe.Health h) {
        return h.ok() && System.currentTimeMillis() - h.atMs() <= kafkaStaleMs;
    }

    private static JsonObject check(boolean ok, String detail) {
        return new JsonObject().put("ok", ok).put("detail", detail);
    }

    private <T> Future<T> onContext(Future<T> f) {
        return Future.fromCompletionStage(f.toCompletionStage(), context);
    }

    private static double round(double d) {
        return Math.round(d * 10) / 10.0;
    }
}

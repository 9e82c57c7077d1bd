package io.sluice.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.batch.BatchSettings;
import io.sluice.batch.BatchingVerticle;
import io.sluice.bus.LocalCodec;
import io.sluice.consumer.ConsumerVerticle;
import io.sluice.consumer.EndOffsets;
import io.sluice.consumer.PauseState;
import io.sluice.dispatch.Backoff;
import io.sluice.dispatch.DeadLetterWriter;
import io.sluice.dispatch.DispatchVerticle;
import io.sluice.dispatch.KafkaEventPayload;
import io.sluice.dispatch.LambdaClients;
import io.sluice.kafka.AsyncProducer;
import io.sluice.kafka.KafkaSettings;
import io.sluice.metrics.PipelineMetrics;
import io.sluice.record.Batch;
import io.sluice.record.BatchOutcome;
import io.sluice.record.RecordChunk;
import io.sluice.record.RevokeRequest;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;

/**
 * One consumer pipeline. It outlives its verticles: each {@linkplain #start() start} deploys a new
 * incarnation (clients, dispatch × n, batching, consumer) and each stop undeploys it in reverse order, so
 * in-flight batches can finish and the consumer commits before dispatch goes away. What outlives an
 * incarnation: the {@link PipelineTuning} (operator changes), the meters (registered once, reading the live
 * incarnation) and the {@link PipelineHealth}.
 *
 * <p>Life-cycle operations ({@link #start()}, {@link #restart(String)}, {@link #stop()}) run one at a time, in
 * call order, from any thread. {@link #stop()} is final: a restart asked for before or after it (TLS
 * rotation, recovery from a fatal consumer error) does not bring the pipeline back.
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final Vertx vertx;
    private final PipelineSettings settings;
    private final Supplier<PipelineClients> clients;
    private final PipelineMetrics metrics;
    private final PipelineTuning tuning;
    /**
     * Where life-cycle operations run: a context of no deployment, so the verticles a restart deploys are never
     * children of a verticle being undeployed (a fatal error is reported on the consumer's own context).
     */
    private final Context lifecycle;

    private final Object lock = new Object();
    private Future<Void> ops = Future.succeededFuture(); // guarded by lock
    private volatile boolean closed;
    private volatile Incarnation running;
    private volatile PipelineHealth health = new PipelineHealth(PipelineHealth.State.STOPPED, "not started");
    private int failures; // consecutive fatal failures; confined to the ops chain
    private long startedAtMs;

    /** What one start made; released by the stop that follows it. Fields are set while it is built. */
    private static final class Incarnation {
        final List<String> deployments = new ArrayList<>();
        volatile LambdaAsyncClient lambda;
        volatile AsyncProducer dlqProducer;
        volatile EndOffsets endOffsets;
        volatile DeadLetterWriter dlq;
        volatile ConsumerVerticle consumer;
        volatile BatchingVerticle batching;
        volatile CircuitBreaker breaker;
    }

    public Pipeline(Vertx vertx, PipelineSettings settings, KafkaSettings kafka, MeterRegistry registry) {
        this(vertx, settings, () -> new KafkaPipelineClients(settings, kafka), registry);
    }

    /** @param keys the pipeline's hot-key window (see {@link io.sluice.hotkeys.HotKeys#consumer}) */
    public Pipeline(
            Vertx vertx,
            PipelineSettings settings,
            KafkaSettings kafka,
            MeterRegistry registry,
            io.sluice.hotkeys.KeyWindow keys) {
        this(vertx, settings, () -> new KafkaPipelineClients(settings, kafka), registry, keys);
    }

    /** @param clients makes the clients of each incarnation (called off the event loop) */
    public Pipeline(Vertx vertx, PipelineSettings settings, Supplier<PipelineClients> clients, MeterRegistry registry) {
        this(vertx, settings, clients, registry, io.sluice.hotkeys.KeyWindow.off());
    }

    private Pipeline(
            Vertx vertx,
            PipelineSettings settings,
            Supplier<PipelineClients> clients,
            MeterRegistry registry,
            io.sluice.hotkeys.KeyWindow keys) {
        this.vertx = vertx;
        this.settings = settings;
        this.clients = clients;
        this.metrics = new PipelineMetrics(registry, settings.name(), keys);
        this.tuning = new PipelineTuning(settings);
        this.lifecycle = ((VertxInternal) vertx).createEventLoopContext();
        // Registered once, reading whichever incarnation runs now: a restart must not leave them on the old one.
        metrics.gauge("sluice.consumer.inflight.records", () -> consumerValue(ConsumerVerticle::inFlightRecords));
        metrics.gauge("sluice.consumer.inflight.bytes", () -> consumerValue(ConsumerVerticle::inFlightBytes));
        metrics.gauge("sluice.consumer.paused", () -> consumerValue(c -> c.paused() ? 1 : 0));
        metrics.gauge("sluice.consumer.paused.partitions", () -> consumerValue(ConsumerVerticle::pausedPartitions));
        if (settings.breaker().enabled()) {
            metrics.gauge("sluice.dispatch.breaker.state", this::breakerStateCode);
        }
        metrics.gauge("sluice.pipeline.up", () -> health.ok() ? 1 : 0);
    }

    public static void registerCodecs(Vertx vertx) {
        LocalCodec.registerAll(vertx, RecordChunk.class, Batch.class, BatchOutcome.class, RevokeRequest.class);
    }

    // ---------------------------------------------------------------- life cycle

    /** Starts an incarnation; fails (leaving nothing behind) if it cannot, or if the pipeline was stopped. */
    public Future<Void> start() {
        return serialize(() -> closed
                ? Future.failedFuture(new IllegalStateException("pipeline " + settings.name() + " is stopped"))
                : startIncarnation());
    }

    /**
     * Stops the running incarnation (drain, commit) and starts a new one, e.g. to pick up new TLS material.
     * Does nothing once the pipeline is stopped.
     */
    public Future<Void> restart(String why) {
        return serialize(() -> {
            if (closed) {
                return Future.succeededFuture();
            }
            LOG.info("pipeline={} restarting: {}", settings.name(), why);
            return stopIncarnation().compose(v -> closed ? Future.succeededFuture() : startIncarnation());
        });
    }

    /** Final stop: consumer, then batching, then dispatch; closes the clients. No restart after it. */
    public Future<Void> stop() {
        closed = true;
        return serialize(() -> stopIncarnation()
                .onComplete(ar -> health = new PipelineHealth(PipelineHealth.State.STOPPED, "stopped")));
    }

    private Future<Void> serialize(Supplier<Future<Void>> op) {
        synchronized (lock) {
            Future<Void> next = ops.transform(ignored -> {
                Promise<Void> done = Promise.promise();
                lifecycle.runOnContext(v -> {
                    try {
                        op.get().onComplete(done);
                    } catch (RuntimeException e) {
                        done.fail(e);
                    }
                });
                return done.future();
            });
            ops = next.otherwise(err -> null);
            return next;
        }
    }

    private Future<Void> startIncarnation() {
        Incarnation inc = new Incarnation();
        health = new PipelineHealth(PipelineHealth.State.STARTING, "starting");
        registerCodecs(vertx);
        return vertx.<PipelineClients>executeBlocking(
                        () -> {
                            // Client construction resolves names and loads key stores: never on an event loop.
                            PipelineClients c = clients.get();
                            inc.lambda = c.lambda();
                            inc.dlqProducer = new AsyncProducer(c.dlqProducer(), "sluice-dlq-" + settings.name());
                            inc.endOffsets = c.endOffsets();
                            return c;
                        },
                        false)
                .compose(c -> deployIncarnation(inc, c))
                .transform(ar -> {
                    if (ar.succeeded()) { // running was set to inc when its verticles were built
                        startedAtMs = System.currentTimeMillis();
                        health = new PipelineHealth(PipelineHealth.State.RUNNING, "running");
                        LOG.info(
                                "pipeline={} started: topics {}, group {}, ordering {}, function {}",
                                settings.name(),
                                settings.topics(),
                                settings.groupId(),
                                settings.ordering().configName(),
                                settings.lambda().functionName());
                        return Future.<Void>succeededFuture();
                    }
                    health = new PipelineHealth(PipelineHealth.State.FAILED, "start failed: " + ar.cause());
                    if (running == inc) {
                        running = null; // a failed incarnation is not running: a scheduled restart must try again
                    }
                    return release(inc).transform(x -> Future.<Void>failedFuture(ar.cause()));
                });
    }

    private Future<Void> deployIncarnation(Incarnation inc, PipelineClients c) {
        inc.dlq = new DeadLetterWriter(
                vertx,
                inc.dlqProducer,
                settings.dlqTopic(),
                new Backoff(settings.retry().baseDelayMs(), settings.retry().maxDelayMs(), ThreadLocalRandom.current()),
                settings.redrive());
        KafkaEventPayload payloads = new KafkaEventPayload(c.bootstrapServers(), null);
        inc.breaker = settings.breaker().enabled() ? newBreaker(inc) : null;
        inc.batching = new BatchingVerticle(settings.batching());
        inc.consumer = new ConsumerVerticle(
                settings.consumer(),
                c::consumer,
                metrics,
                inc.endOffsets,
                tuning.manualPause(),
                err -> onFatal(inc, err));
        running = inc; // tuning changes from now on reach its verticles (re-applied below once deployed)
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < settings.dispatchInstances(); i++) {
            chain = chain.compose(v -> deploy(
                    inc,
                    new DispatchVerticle(settings.dispatch(), inc.lambda, inc.dlq, payloads, metrics, inc.breaker)));
        }
        return chain.compose(v -> deploy(inc, inc.batching))
                .onSuccess(v -> applyTuning(inc))
                .compose(v -> deploy(inc, inc.consumer))
                .onSuccess(v -> inc.consumer.pause(PauseState.Reason.MANUAL, tuning.manualPause()));
    }

    /** The operator's batch settings and concurrency, on a freshly deployed batching verticle. */
    private void applyTuning(Incarnation inc) {
        if (!tuning.batch().equals(settings.batch())) {
            inc.batching.batchSettings(tuning.batch());
        }
        if (tuning.maxConcurrency() != settings.lambda().maxConcurrency()) {
            inc.batching.maxConcurrency(tuning.maxConcurrency());
        }
    }

    private Future<Void> deploy(Incarnation inc, io.vertx.core.Deployable verticle) {
        return vertx.deployVerticle(verticle, new DeploymentOptions()).map(id -> {
            synchronized (inc.deployments) {
                inc.deployments.add(id);
            }
            return null;
        });
    }

    private Future<Void> stopIncarnation() {
        Incarnation inc = running;
        running = null;
        return inc == null ? Future.succeededFuture() : release(inc);
    }

    /** Undeploys in reverse order (consumer first), then closes the clients off the event loop. */
    private Future<Void> release(Incarnation inc) {
        List<String> reversed;
        synchronized (inc.deployments) {
            reversed = new ArrayList<>(inc.deployments);
            inc.deployments.clear();
        }
        Collections.reverse(reversed);
        Future<Void> chain = Future.succeededFuture();
        for (String id : reversed) {
            chain = chain.compose(v -> vertx.undeploy(id).recover(err -> {
                LOG.warn("pipeline={} undeploy failed: {}", settings.name(), err.toString());
                return Future.succeededFuture();
            }));
        }
        return chain.compose(v -> vertx.executeBlocking(
                        () -> {
                            if (inc.breaker != null) {
                                inc.breaker.close();
                            }
                            if (inc.dlqProducer != null) {
                                inc.dlqProducer.close(Duration.ofSeconds(2));
                            }
                            if (inc.endOffsets != null) {
                                inc.endOffsets.close();
                            }
                            if (inc.lambda != null) {
                                LambdaClients.close(inc.lambda);
                            }
                            return null;
                        },
                        false))
                .mapEmpty();
    }

    /**
     * The consumer of {@code inc} failed for good (its poll loop threw). Readiness goes DOWN naming the cause;
     * with {@code restart.policy = restart} the pipeline is restarted after a capped, doubling delay (reset once
     * an incarnation has run for longer than the maximum delay); with {@code stop} it stays stopped.
     */
    private void onFatal(Incarnation inc, Throwable err) {
        if (closed || running != inc) {
            return; // an incarnation already being replaced
        }
        RestartSettings r = settings.restart();
        if (!r.restart()) {
            health = new PipelineHealth(
                    PipelineHealth.State.FAILED, "consumer failed: " + err + "; stopped (restart.policy is stop)");
            LOG.error(
                    "pipeline={} consumer failed: {}; stopped (restart.policy is stop)",
                    settings.name(),
                    err.toString());
            serialize(() -> running == inc ? stopIncarnation() : Future.succeededFuture());
            return;
        }
        serialize(() -> {
            if (running != inc || closed) {
                return Future.succeededFuture();
            }
            failures = System.currentTimeMillis() - startedAtMs > r.maxDelayMs() ? 1 : failures + 1;
            return scheduleRestart(err, stopIncarnation());
        });
    }

    private Future<Void> scheduleRestart(Throwable cause, Future<Void> stopped) {
        long delay = settings.restart().delayMs(failures);
        health = new PipelineHealth(
                PipelineHealth.State.FAILED,
                "consumer failed: " + cause + "; restart " + failures + " in " + delay + " ms");
        LOG.error(
                "pipeline={} consumer failed: {}; restart {} in {} ms",
                settings.name(),
                cause.toString(),
                failures,
                delay);
        stopped.onComplete(x -> vertx.timer(delay)
                .onComplete(t -> serialize(() -> {
                    if (closed || running != null) {
                        return Future.succeededFuture();
                    }
                    return startIncarnation().recover(err -> {
                        failures++;
                        return scheduleRestart(err, Future.succeededFuture());
                    });
                })));
        return stopped;
    }

    // ---------------------------------------------------------------- tuning

    /** The operator-tunable state (what is in effect, also across restarts). */
    /** Batching over its last window (see {@link BatchingVerticle#stats()}); empty while no incarnation runs. */
    public io.sluice.batch.BatchStats.Snapshot batchingStats() {
        Incarnation inc = running;
        return inc == null || inc.batching == null
                ? io.sluice.batch.BatchStats.Snapshot.empty(
                        tuning.batch().mode().configName())
                : inc.batching.stats();
    }

    public PipelineTuning tuning() {
        return tuning;
    }

    /** Changes the batch limits now and for every later incarnation. */
    public void batchSettings(BatchSettings s) {
        tuning.batch(s);
        Incarnation inc = running;
        if (inc != null && inc.batching.deploymentID() != null) {
            inc.batching.batchSettings(s);
        }
    }

    /** Changes the in-flight invocation limit (1..lambda.maxConcurrency) now and for every later incarnation. */
    public void maxConcurrency(int n) {
        tuning.maxConcurrency(n);
        Incarnation inc = running;
        if (inc != null && inc.batching.deploymentID() != null) {
            inc.batching.maxConcurrency(n);
        }
    }

    /**
     * Pauses or resumes consumption by operator request, now and for every later incarnation; answers why the
     * consumer is paused afterwards.
     */
    public Future<Set<PauseState.Reason>> manualPause(boolean on) {
        tuning.manualPause(on);
        Incarnation inc = running;
        if (inc == null || inc.consumer.deploymentID() == null) {
            return Future.succeededFuture(
                    on ? EnumSet.of(PauseState.Reason.MANUAL) : EnumSet.noneOf(PauseState.Reason.class));
        }
        inc.consumer.pause(PauseState.Reason.MANUAL, on);
        return inc.consumer.pauseReasons();
    }

    // ---------------------------------------------------------------- views

    private CircuitBreaker newBreaker(Incarnation inc) {
        return PipelineBreaker.create(vertx, settings, open -> inc.consumer.pause(PauseState.Reason.BREAKER, open));
    }

    /** {@code f} of the running incarnation's consumer, 0 when none runs. */
    private Number consumerValue(java.util.function.Function<ConsumerVerticle, Number> f) {
        Incarnation inc = running;
        return inc == null || inc.consumer == null ? 0 : f.apply(inc.consumer);
    }

    /** The gauge's value: 0 closed, 1 half-open, 2 open, of the breaker in use now (0 when none runs). */
    private int breakerStateCode() {
        Incarnation inc = running;
        return PipelineBreaker.code(inc == null ? null : inc.breaker);
    }

    /** The breaker state ("closed", "half-open", "open"), or "disabled". */
    public String breakerState() {
        Incarnation inc = running;
        return settings.breaker().enabled() ? PipelineBreaker.name(inc == null ? null : inc.breaker) : "disabled";
    }

    /** Whether the running incarnation's DLQ writes go through (available when none runs). */
    public DeadLetterWriter.Health dlqHealth() {
        Incarnation inc = running;
        DeadLetterWriter w = inc == null ? null : inc.dlq;
        return w == null ? new DeadLetterWriter.Health(true, 0, -1, null) : w.health();
    }

    /** Readiness of this pipeline: DOWN after a fatal consumer error (naming it) and once stopped. */
    public PipelineHealth health() {
        return health;
    }

    public PipelineSettings settings() {
        return settings;
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    /** The running incarnation's consumer verticle, or null between incarnations. */
    public ConsumerVerticle consumer() {
        Incarnation inc = running;
        return inc == null ? null : inc.consumer;
    }

    /** The running incarnation's batching verticle, or null between incarnations. */
    public BatchingVerticle batching() {
        Incarnation inc = running;
        return inc == null ? null : inc.batching;
    }
}

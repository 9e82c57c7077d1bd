package io.sluice.producer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.bus.Addresses;
import io.sluice.bus.LocalCodec;
import io.sluice.kafka.AsyncProducer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code sluice.produce} (one event) and {@code sluice.produce.batch} (a {@link ProduceBatch}):
 * validates each event, routes it to its topic by code, keys it, applies the in-flight bound and the token
 * bucket (see {@link EventIntake}), sends it with acks=all and idempotence, and replies with the
 * topic/partition/offset, or with a failure naming the class (see {@link ProduceAnswer}); a batch gets one
 * {@link ProduceBatchReply} with every event's result. Invalid events go to the producer DLQ with reason
 * headers. Every caller gets an answer, for every event.
 */
public final class ProducerVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerVerticle.class);
    public static final String CORRELATION_HEADER = "correlation-id";
    public static final String H_REASON = "sluice-invalid-reason";
    public static final String H_FIELD = "sluice-invalid-field";
    public static final String H_MESSAGE = "sluice-invalid-message";
    public static final String H_SOURCE = "sluice-source";
    public static final String H_TIME = "sluice-rejected-at-ms";

    private final ProducerSettings settings;
    private final io.sluice.hotkeys.KeyWindow keys;
    private AsyncProducer producer;
    private final MeterRegistry registry;
    private final Map<ProduceAnswer, Counter> answers = new EnumMap<>(ProduceAnswer.class);
    private final Timer ackLatency;
    private TokenBucket bucket;
    private EventIntake intake;
    private io.sluice.tracing.ProduceTrace trace;
    private boolean stopping;
    /** With {@code producer.spool.enabled}: the memory → spool → Kafka path; else null. */
    private SpoolCoordinator spool;
    /** Set by the first fatal send error (authentication, authorization, TLS, missing topic); cleared by a swap. */
    private volatile String fatal;

    private interface Outcome extends EventOutcome {}

    /** Deployment-config key: register the produce/batch/rate consumers cluster-wide (default false: local-only). */
    public static final String CLUSTER_CONSUMERS = "clusterConsumers";

    public ProducerVerticle(ProducerSettings settings, AsyncProducer producer, MeterRegistry registry) {
        this(settings, producer, registry, io.sluice.hotkeys.KeyWindow.off());
    }

    /** @param keys counts the keys of acknowledged sends per partition (hot keys), on this verticle's event loop */
    public ProducerVerticle(
            ProducerSettings settings,
            AsyncProducer producer,
            MeterRegistry registry,
            io.sluice.hotkeys.KeyWindow keys) {
        this.keys = keys;
        this.settings = settings;
        this.producer = producer;
        this.registry = registry;
        for (ProduceAnswer a : ProduceAnswer.values()) {
            answers.put(
                    a,
                    Counter.builder("sluice.producer.results")
                            .tag("result", a.label())
                            .register(registry));
        }
        // buckets only: client-side percentiles cost ~2.6 x the histogram per record (AckLatencyTimerBench), and
        // this timer records every acknowledged event; the status API estimates p50/p99 from the buckets
        this.ackLatency = Timer.builder("sluice.producer.ack.latency")
                .publishPercentileHistogram()
                .register(registry);
    }

    @Override
    public Future<?> start() {
        bucket = TokenBucket.fromJson(settings.rate(), "producer.rate", System::nanoTime);
        intake = new EventIntake(settings, bucket);
        trace = new io.sluice.tracing.ProduceTrace(io.sluice.tracing.Tracing.of(vertx));
        LocalCodec.registerAll(vertx, ProduceBatch.class, ProduceBatchReply.class);
        Gauge.builder("sluice.producer.inflight.messages", () -> intake.inFlightMessages())
                .register(registry);
        Gauge.builder("sluice.producer.inflight.bytes", () -> intake.inFlightBytes())
                .register(registry);
        Gauge.builder("sluice.producer.rate.messages", () -> bucket.messagesPerSecond())
                .register(registry);
        Gauge.builder("sluice.producer.fatal", () -> fatal == null ? 0 : 1).register(registry);
        Future<?> spoolReady = Future.succeededFuture();
        if (settings.spool().enabled()) {
            spoolReady = SpoolCoordinator.open(
                            vertx,
                            context,
                            settings.spool(),
                            () -> producer,
                            this::fatal,
                            () -> fatal,
                            settings.maxInFlightMessages(),
                            registry)
                    .onSuccess(c -> spool = c);
        }
        return spoolReady.compose(v -> listen());
    }

    private Future<?> listen() {
        // deployment config {"clusterConsumers": true} (cluster.enabled): reachable from other JVMs of the cluster,
        // behind io.sluice.bus.RemoteGate; else local-only as before
        boolean cluster = config().getBoolean(CLUSTER_CONSUMERS, false);
        MessageConsumer<Object> produce = consumer(cluster, Addresses.PRODUCE, this::onProduce);
        MessageConsumer<Object> batch = consumer(cluster, Addresses.PRODUCE_BATCH, this::onProduceBatch);
        MessageConsumer<Object> rate = consumer(cluster, Addresses.PRODUCER_RATE, this::onRate);
        return Future.join(produce.completion(), batch.completion(), rate.completion());
    }

    private MessageConsumer<Object> consumer(
            boolean cluster, String address, io.vertx.core.Handler<Message<Object>> h) {
        return cluster
                ? vertx.eventBus().consumer(address, h)
                : vertx.eventBus().localConsumer(address, h);
    }

    private void onProduce(Message<Object> msg) {
        Outcome outcome = new Outcome() {
            @Override
            public void accepted(RecordMetadata md) {
                answers.get(ProduceAnswer.ACCEPTED).increment();
                msg.reply(new JsonObject()
                        .put("status", ProduceAnswer.ACCEPTED.label())
                        .put("topic", md.topic())
                        .put("partition", md.partition())
                        .put("offset", md.offset()));
            }

            @Override
            public void spooled(String topic) {
                answers.get(ProduceAnswer.SPOOLED).increment();
                msg.reply(new JsonObject()
                        .put("status", ProduceAnswer.SPOOLED.label())
                        .put("topic", topic));
            }

            @Override
            public void failed(ProduceAnswer answer, String detail) {
                answers.get(answer).increment();
                msg.fail(answer.failureCode(), answer.label() + ": " + detail);
            }
        };
        if (stopping) {
            outcome.failed(ProduceAnswer.STOPPING, "the producer is shutting down");
            return;
        }
        if (fatal != null) {
            outcome.failed(ProduceAnswer.UNAVAILABLE, "the producer stopped on a fatal error: " + fatal);
            return;
        }
        String correlationId = msg.headers().get(CORRELATION_HEADER);
        ProduceDecision d = intake.decide(msg.body(), correlationId);
        traced(msg, d);
        if (d instanceof ProduceDecision.Send send) {
            if (send.waitNanos() == 0) {
                send(send.record(), outcome);
            } else {
                vertx.timer(delayMs(send.waitNanos())).onComplete(t -> send(send.record(), outcome));
            }
        } else if (d instanceof ProduceDecision.ToSpool ts) {
            spool.submit(ts.record(), outcome, null, true);
        } else {
            refuse(d, correlationId, msg.headers().get(H_SOURCE), outcome);
        }
    }

    private void send(ProducerRecord<byte[], byte[]> record, Outcome outcome) {
        if (spool != null) {
            spool.submit(record, outcome, () -> intake.release(record), false);
        } else {
            producer.send(context, record, completion(record, System.nanoTime(), outcome));
        }
    }

    /**
     * {@code sluice.produce.batch}: every event of the {@link ProduceBatch} goes through the same steps as a single
     * one (validation, DLQ, routing, in-flight bound, token bucket, keys), in order; those to send now are handed
     * to the sender in one go. One {@link ProduceBatchReply} answers once every event has its result.
     */
    private void onProduceBatch(Message<Object> msg) {
        if (!(msg.body() instanceof ProduceBatch batch)) {
            answers.get(ProduceAnswer.INVALID).increment();
            msg.fail(
                    ProduceAnswer.INVALID.failureCode(),
                    ProduceAnswer.INVALID.label() + ": the body of "
                            + Addresses.PRODUCE_BATCH + " must be a ProduceBatch, got "
                            + (msg.body() == null
                                    ? "null"
                                    : msg.body().getClass().getSimpleName()));
            return;
        }
        List<?> events = batch.events();
        ProduceBatchReply.Collector reply = new ProduceBatchReply.Collector(events.size(), msg::reply);
        String correlationId = msg.headers().get(CORRELATION_HEADER);
        String source = msg.headers().get(H_SOURCE);
        List<ProducerRecord<byte[], byte[]>> now = new ArrayList<>(events.size());
        List<AsyncProducer.Completion> nowDone = new ArrayList<>(events.size());
        long sendTime = System.nanoTime();
        DelayedGroup delayed = null;
        SpoolBatch spooled = spool == null ? null : new SpoolBatch();
        for (int i = 0; i < events.size(); i++) {
            Outcome outcome = slot(reply, i);
            if (stopping) {
                outcome.failed(ProduceAnswer.STOPPING, "the producer is shutting down");
                continue;
            }
            if (fatal != null) {
                outcome.failed(ProduceAnswer.UNAVAILABLE, "the producer stopped on a fatal error: " + fatal);
                continue;
            }
            ProduceDecision d = intake.decide(events.get(i), correlationId);
            traced(msg, d);
            if (spooled != null
                    && (d instanceof ProduceDecision.ToSpool
                            || d instanceof ProduceDecision.Send s0 && s0.waitNanos() == 0)) {
                spooled.add(d, outcome);
            } else if (!(d instanceof ProduceDecision.Send send)) {
                refuse(d, correlationId, source, outcome);
            } else if (send.waitNanos() == 0) {
                now.add(send.record());
                nowDone.add(completion(send.record(), sendTime, outcome));
            } else { // waits only grow along the batch: one timer per distinct delay, in order
                long ms = delayMs(send.waitNanos());
                if (delayed == null || delayed.ms != ms) {
                    if (delayed != null) {
                        delayed.schedule();
                    }
                    delayed = new DelayedGroup(ms);
                }
                delayed.records.add(send.record());
                delayed.outcomes.add(outcome);
            }
        }
        if (!now.isEmpty()) {
            producer.sendAll(context, now, nowDone);
        }
        if (spooled != null) {
            spooled.submit();
        }
        if (delayed != null) {
            delayed.schedule();
        }
    }

    /** Events of a batch for the spool path, handed to it in one go (in order). */
    private final class SpoolBatch {
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        final List<EventOutcome> outcomes = new ArrayList<>();
        final List<Runnable> releases = new ArrayList<>();
        final List<Boolean> full = new ArrayList<>();

        void add(ProduceDecision d, Outcome outcome) {
            if (d instanceof ProduceDecision.Send send) {
                records.add(send.record());
                releases.add(() -> intake.release(send.record()));
                full.add(false);
            } else {
                records.add(((ProduceDecision.ToSpool) d).record());
                releases.add(null);
                full.add(true);
            }
            outcomes.add(outcome);
        }

        void submit() {
            if (!records.isEmpty()) {
                spool.submitAll(records, outcomes, releases, full);
            }
        }
    }

    /** Events of a batch that wait the same number of milliseconds for their token-bucket slot. */
    private final class DelayedGroup {
        final long ms;
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        final List<Outcome> outcomes = new ArrayList<>();

        DelayedGroup(long ms) {
            this.ms = ms;
        }

        void schedule() {
            vertx.timer(ms).onComplete(t -> {
                if (spool != null) {
                    for (int i = 0; i < records.size(); i++) {
                        send(records.get(i), outcomes.get(i));
                    }
                    return;
                }
                long t0 = System.nanoTime();
                List<AsyncProducer.Completion> done = new ArrayList<>(records.size());
                for (int i = 0; i < records.size(); i++) {
                    done.add(completion(records.get(i), t0, outcomes.get(i)));
                }
                producer.sendAll(context, records, done);
            });
        }
    }

    private Outcome slot(ProduceBatchReply.Collector reply, int index) {
        return new Outcome() {
            @Override
            public void accepted(RecordMetadata md) {
                answers.get(ProduceAnswer.ACCEPTED).increment();
                reply.set(index, ProduceResult.accepted(md.topic(), md.partition(), md.offset()));
            }

            @Override
            public void spooled(String topic) {
                answers.get(ProduceAnswer.SPOOLED).increment();
                reply.set(index, ProduceResult.spooled(topic));
            }

            @Override
            public void failed(ProduceAnswer answer, String detail) {
                answers.get(answer).increment();
                reply.set(index, ProduceResult.failed(answer, detail));
            }
        };
    }

    /** The sender's completion of a record: gives back its in-flight share and answers (on the event loop). */
    private AsyncProducer.Completion completion(ProducerRecord<byte[], byte[]> record, long t0, Outcome outcome) {
        return new AsyncProducer.Completion() {
            @Override
            public void complete(RecordMetadata md, Throwable err) {
                complete(md, err, System.nanoTime());
            }

            @Override
            public void complete(RecordMetadata md, Throwable err, long ackedAtNanos) {
                acked(record, t0, outcome, md, err, ackedAtNanos);
            }
        };
    }

    private void acked(
            ProducerRecord<byte[], byte[]> record,
            long t0,
            Outcome outcome,
            RecordMetadata md,
            Throwable err,
            long ackedAtNanos) {
        trace.acked(record, md, err);
        intake.release(record);
        if (err == null) {
            ackLatency.record(ackedAtNanos - t0, TimeUnit.NANOSECONDS);
            keys.record(md.topic(), md.partition(), record.key());
            outcome.accepted(md);
        } else {
            SendErrors.Kind kind = SendErrors.classify(err, false);
            if (kind == SendErrors.Kind.INVALID) {
                outcome.failed(ProduceAnswer.INVALID, "too-large: " + err.getMessage());
            } else if (kind == SendErrors.Kind.FATAL) {
                fatal(err);
                outcome.failed(ProduceAnswer.UNAVAILABLE, "fatal: " + err);
            } else {
                outcome.failed(ProduceAnswer.UNAVAILABLE, "Kafka did not acknowledge: " + err);
            }
        }
    }

    /**
     * A send failed for a reason no retry can fix (authentication, authorization, TLS, a missing topic): from now
     * on every event is answered {@code unavailable} at once, readiness is DOWN ({@code sluice.producer.fatal} = 1),
     * one log line says why. A producer swap (new credentials) clears it.
     */
    private void fatal(Throwable err) {
        if (fatal == null) {
            fatal = err.toString();
            LOG.error(
                    "Producer stopped on a fatal Kafka error (events are answered 'unavailable' until the producer is "
                            + "replaced or the service restarted): {}",
                    fatal);
        }
    }

    private void refuse(ProduceDecision d, String correlationId, String source, Outcome outcome) {
        if (d instanceof ProduceDecision.Refuse r) {
            outcome.failed(r.answer(), r.detail());
        } else {
            rejectInvalid((ProduceDecision.Reject) d, correlationId, source, outcome);
        }
    }

    /** The produce span of an event to send, or its trace context carried into a spooled record. */
    private void traced(Message<Object> msg, ProduceDecision d) {
        if (d instanceof ProduceDecision.Send s) {
            trace.start(msg.headers(), s.record(), spool == null);
        } else if (d instanceof ProduceDecision.ToSpool ts) {
            trace.start(msg.headers(), ts.record(), false);
        }
    }

    private static long delayMs(long waitNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos));
    }

    private void rejectInvalid(ProduceDecision.Reject reject, String correlationId, String source, Outcome outcome) {
        ValidationResult.Invalid inv = reject.invalid();
        RecordHeaders h = new RecordHeaders();
        h.add(H_REASON, utf8(inv.reason()));
        if (inv.field() != null) {
            h.add(H_FIELD, utf8(inv.field()));
        }
        h.add(H_MESSAGE, utf8(inv.message()));
        h.add(H_SOURCE, utf8(source == null ? "event-bus" : source));
        h.add(H_TIME, utf8(Long.toString(System.currentTimeMillis())));
        if (correlationId != null) {
            h.add(CORRELATION_HEADER, utf8(correlationId));
        }
        String answer = inv.reason() + (inv.field() == null ? "" : " " + inv.field()) + ": " + inv.message();
        producer.send(
                context, new ProducerRecord<>(settings.dlqTopic(), null, null, null, reject.raw(), h), (md, err) -> {
                    intake.releaseRejected(reject);
                    if (err == null) {
                        outcome.failed(ProduceAnswer.INVALID, answer);
                    } else {
                        outcome.failed(
                                ProduceAnswer.UNAVAILABLE,
                                "invalid event (" + answer + ") could not be written to the DLQ: " + err);
                    }
                });
    }

    private void onRate(Message<Object> msg) {
        if (msg.body() instanceof JsonObject jo && !jo.isEmpty()) {
            try {
                double mps = number(jo, "messagesPerSecond", bucket.messagesPerSecond());
                double bps = number(jo, "bytesPerSecond", bucket.bytesPerSecond());
                bucket.setRate(mps, bps);
                LOG.info("Producer rate set to {} msg/s, {} B/s (0 = unlimited)", mps, bps);
            } catch (IllegalArgumentException e) {
                msg.fail(400, e.getMessage());
                return;
            }
        }
        msg.reply(rateJson());
    }

    private static double number(JsonObject jo, String field, double current) {
        Object v = jo.getValue(field);
        if (v == null) {
            return current;
        }
        if (!(v instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > TokenBucket.MAX_RATE) {
            throw new IllegalArgumentException(field + ": must be a number between 0 (unlimited) and "
                    + (long) TokenBucket.MAX_RATE + ", got " + v);
        }
        return n.doubleValue();
    }

    private JsonObject rateJson() {
        return new JsonObject()
                .put("messagesPerSecond", bucket.messagesPerSecond())
                .put("bytesPerSecond", bucket.bytesPerSecond());
    }

    /**
     * Replaces the Kafka producer (TLS rotation) without losing a record: sends from now on go to {@code next};
     * the old producer is flushed (its records keep their callbacks, so their callers get their answers),
     * then closed. Per-key order between a record sent just before and one sent just after the swap is not
     * guaranteed. Completes once the old producer is closed.
     */
    public Future<Void> swapProducer(AsyncProducer next) {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            AsyncProducer old = producer;
            producer = next;
            fatal = null;
            long pending = intake.inFlightMessages();
            old.flush(context)
                    .recover(err -> {
                        LOG.warn(
                                "Flushing the replaced producer failed (its callers get 'unavailable'): {}",
                                err.toString());
                        return Future.succeededFuture();
                    })
                    .compose(x -> vertx.<Void>executeBlocking(() -> {
                        old.close(Duration.ofSeconds(5));
                        return null;
                    }))
                    .onSuccess(x -> LOG.info(
                            "Producer replaced: the old one was flushed ({} event(s) were awaiting "
                                    + "acknowledgement at the swap) and closed",
                            pending))
                    .onComplete(done);
        });
        return done.future();
    }

    /** Graceful stop: refuse new events, wait for acknowledgements (bounded), report, close. */
    @Override
    public Future<?> stop() {
        stopping = true;
        long pendingAtStop = intake.inFlightMessages();
        long deadline = System.currentTimeMillis() + settings.flushTimeoutMs();
        Promise<Void> drained = Promise.promise();
        producer.flush(context);
        awaitAcks(deadline, drained);
        return drained.future().compose(v -> {
            LOG.info(
                    "Producer stopped: {} event(s) were awaiting acknowledgement, {} flushed, {} not acknowledged "
                            + "(their callers got 'unavailable')",
                    pendingAtStop,
                    pendingAtStop - intake.inFlightMessages(),
                    intake.inFlightMessages());
            Future<Void> spoolClosed = spool == null ? Future.succeededFuture() : spool.close();
            return spoolClosed.compose(x -> vertx.executeBlocking(() -> {
                producer.close(Duration.ofSeconds(1));
                return null;
            }));
        });
    }

    private void awaitAcks(long deadline, Promise<Void> done) {
        if ((intake.inFlightMessages() == 0 && (spool == null || spool.busy() == 0))
                || System.currentTimeMillis() >= deadline) {
            done.tryComplete();
            return;
        }
        vertx.timer(20).onComplete(t -> awaitAcks(deadline, done));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

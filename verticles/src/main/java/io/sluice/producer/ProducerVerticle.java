package io.sluice.producer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.bus.Addresses;
import io.sluice.kafka.AsyncProducer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Answers {@code sluice.produce}: validates the event, routes it to its topic by code, keys it,
 * applies the token bucket and the in-flight bound, sends it with acks=all and idempotence, and
 * replies with the topic/partition/offset, or with a failure naming the class (see {@link ProduceAnswer}).
 * Invalid events go to the producer DLQ with reason headers. Every caller gets an answer.
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
    private AsyncProducer producer;
    private final MeterRegistry registry;
    private final Map<ProduceAnswer, Counter> answers = new EnumMap<>(ProduceAnswer.class);
    private final Timer ackLatency;
    private TokenBucket bucket;
    private long inFlightMessages;
    private long inFlightBytes;
    private boolean stopping;

    public ProducerVerticle(ProducerSettings settings, AsyncProducer producer, MeterRegistry registry) {
        this.settings = settings;
        this.producer = producer;
        this.registry = registry;
        for (ProduceAnswer a : ProduceAnswer.values()) {
            answers.put(a, Counter.builder("sluice.producer.results").tag("result", a.label()).register(registry));
        }
        this.ackLatency = Timer.builder("sluice.producer.ack.latency").publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram().register(registry);
    }

    @Override
    public Future<?> start() {
        bucket = TokenBucket.fromJson(settings.rate(), "producer.rate", System::nanoTime);
        Gauge.builder("sluice.producer.inflight.messages", () -> inFlightMessages).register(registry);
        Gauge.builder("sluice.producer.inflight.bytes", () -> inFlightBytes).register(registry);
        Gauge.builder("sluice.producer.rate.messages", () -> bucket.messagesPerSecond()).register(registry);
        MessageConsumer<Object> produce = vertx.eventBus().localConsumer(Addresses.PRODUCE, this::onProduce);
        MessageConsumer<Object> rate = vertx.eventBus().localConsumer(Addresses.PRODUCER_RATE, this::onRate);
        return Future.join(produce.completion(), rate.completion());
    }

    private void onProduce(Message<Object> msg) {
        if (stopping) {
            fail(msg, ProduceAnswer.STOPPING, "the producer is shutting down");
            return;
        }
        Object body = msg.body();
        ValidationResult vr;
        byte[] raw;
        if (body instanceof JsonObject jo) {
            try {
                raw = jo.toBuffer().getBytes(); // encoded once: the record value and the size check
                vr = settings.validator().validate(jo, raw.length);
            } catch (RuntimeException e) {
                raw = new byte[0];
                vr = new ValidationResult.Invalid(ValidationResult.NOT_JSON_OBJECT, null, "the event cannot be encoded as JSON");
            }
        } else if (body instanceof Buffer b) {
            raw = b.getBytes();
            vr = settings.validator().validate(b);
        } else if (body instanceof String s) {
            raw = s.getBytes(StandardCharsets.UTF_8);
            vr = settings.validator().validate(Buffer.buffer(raw));
        } else {
            raw = String.valueOf(body).getBytes(StandardCharsets.UTF_8);
            vr = new ValidationResult.Invalid(ValidationResult.NOT_JSON_OBJECT, null,
                    "body must be a JSON object or its bytes, got " + (body == null ? "null" : body.getClass().getSimpleName()));
        }
        String correlationId = msg.headers().get(CORRELATION_HEADER);
        if (vr instanceof ValidationResult.Invalid inv) {
            rejectInvalid(msg, raw, inv, correlationId);
            return;
        }
        ValidationResult.Valid valid = (ValidationResult.Valid) vr;
        var topic = settings.router().route(valid.code());
        if (topic.isEmpty()) {
            rejectInvalid(msg, raw, ValidationResult.Invalid.unknownCode(valid.code()), correlationId);
            return;
        }
        if (inFlightMessages >= settings.maxInFlightMessages() || inFlightBytes + raw.length > settings.maxInFlightBytes()) {
            fail(msg, ProduceAnswer.OVERLOADED, "more than " + settings.maxInFlightMessages() + " events or "
                    + settings.maxInFlightBytes() + " bytes await acknowledgement");
            return;
        }
        long waitNanos = bucket.reserve(1, raw.length);
        if (waitNanos < 0) {
            fail(msg, ProduceAnswer.RATE_LIMITED, "over " + bucket.messagesPerSecond() + " msg/s or "
                    + bucket.bytesPerSecond() + " B/s beyond the allowed wait");
            return;
        }
        String key = settings.keys().key(valid.code(), valid.truckId());
        RecordHeaders headers = new RecordHeaders();
        if (correlationId != null) {
            headers.add(CORRELATION_HEADER, correlationId.getBytes(StandardCharsets.UTF_8));
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic.get(), null, null,
                key.getBytes(StandardCharsets.UTF_8), raw, headers);
        inFlightMessages++;
        inFlightBytes += raw.length;
        if (waitNanos == 0) {
            send(msg, record);
        } else {
            vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)), id -> send(msg, record));
        }
    }

    private void send(Message<Object> msg, ProducerRecord<byte[], byte[]> record) {
        long t0 = System.nanoTime();
        producer.send(context, record).onComplete(ar -> {
            inFlightMessages--;
            inFlightBytes -= record.value().length;
            if (ar.succeeded()) {
                RecordMetadata md = ar.result();
                ackLatency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                answers.get(ProduceAnswer.ACCEPTED).increment();
                msg.reply(new JsonObject().put("status", ProduceAnswer.ACCEPTED.label()).put("topic", md.topic())
                        .put("partition", md.partition()).put("offset", md.offset()));
            } else if (ar.cause() instanceof RecordTooLargeException) {
                fail(msg, ProduceAnswer.INVALID, "too-large: " + ar.cause().getMessage());
            } else {
                fail(msg, ProduceAnswer.UNAVAILABLE, "Kafka did not acknowledge: " + ar.cause().toString());
            }
        });
    }

    private void rejectInvalid(Message<Object> msg, byte[] raw, ValidationResult.Invalid inv, String correlationId) {
        RecordHeaders h = new RecordHeaders();
        h.add(H_REASON, utf8(inv.reason()));
        if (inv.field() != null) {
            h.add(H_FIELD, utf8(inv.field()));
        }
        h.add(H_MESSAGE, utf8(inv.message()));
        h.add(H_SOURCE, utf8(msg.headers().get(H_SOURCE) == null ? "event-bus" : msg.headers().get(H_SOURCE)));
        h.add(H_TIME, utf8(Long.toString(System.currentTimeMillis())));
        if (correlationId != null) {
            h.add(CORRELATION_HEADER, utf8(correlationId));
        }
        int max = settings.validator().maxEventBytes();
        byte[] value = raw.length > max * 4L ? java.util.Arrays.copyOf(raw, max * 4) : raw; // keep the DLQ record bounded
        String answer = inv.reason() + (inv.field() == null ? "" : " " + inv.field()) + ": " + inv.message();
        producer.send(context, new ProducerRecord<>(settings.dlqTopic(), null, null, null, value, h))
                .onSuccess(md -> fail(msg, ProduceAnswer.INVALID, answer))
                .onFailure(err -> fail(msg, ProduceAnswer.UNAVAILABLE,
                        "invalid event (" + answer + ") could not be written to the DLQ: " + err));
    }

    private void fail(Message<Object> msg, ProduceAnswer a, String detail) {
        answers.get(a).increment();
        msg.fail(a.failureCode(), a.label() + ": " + detail);
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
            throw new IllegalArgumentException(field + ": must be a number between 0 (unlimited) and " + (long) TokenBucket.MAX_RATE + ", got " + v);
        }
        return n.doubleValue();
    }

    private JsonObject rateJson() {
        return new JsonObject().put("messagesPerSecond", bucket.messagesPerSecond())
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
            long pending = inFlightMessages;
            old.flush(context)
                    .recover(err -> {
                        LOG.warn("Flushing the replaced producer failed (its callers get 'unavailable'): {}", err.toString());
                        return Future.succeededFuture();
                    })
                    .compose(x -> vertx.<Void>executeBlocking(() -> {
                        old.close(Duration.ofSeconds(5));
                        return null;
                    }))
                    .onSuccess(x -> LOG.info("Producer replaced: the old one was flushed ({} event(s) were awaiting "
                            + "acknowledgement at the swap) and closed", pending))
                    .onComplete(done);
        });
        return done.future();
    }

    /** Graceful stop: refuse new events, wait for acknowledgements (bounded), report, close. */
    @Override
    public Future<?> stop() {
        stopping = true;
        long pendingAtStop = inFlightMessages;
        long deadline = System.currentTimeMillis() + settings.flushTimeoutMs();
        Promise<Void> drained = Promise.promise();
        producer.flush(context);
        awaitAcks(deadline, drained);
        return drained.future().compose(v -> {
            LOG.info("Producer stopped: {} event(s) were awaiting acknowledgement, {} flushed, {} not acknowledged "
                    + "(their callers got 'unavailable')", pendingAtStop, pendingAtStop - inFlightMessages, inFlightMessages);
            return vertx.executeBlocking(() -> {
                producer.close(Duration.ofSeconds(1));
                return null;
            });
        });
    }

    private void awaitAcks(long deadline, Promise<Void> done) {
        if (inFlightMessages == 0 || System.currentTimeMillis() >= deadline) {
            done.tryComplete();
            return;
        }
        vertx.setTimer(20, id -> awaitAcks(deadline, done));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

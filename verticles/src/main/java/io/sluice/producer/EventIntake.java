package io.sluice.producer;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The producer's per-event decisions, without I/O: encode (once), validate, route, apply the in-flight
 * bound and the token bucket, key, and build the record. It owns the in-flight counters; not thread-safe
 * (the producer verticle's event loop owns it).
 *
 * <p>Order of the checks, per event: validation and routing (→ {@link ProduceDecision.Reject}, which takes
 * an in-flight share for its DLQ send, or {@code overloaded} over the bound), the in-flight bound
 * (→ {@code overloaded}, or {@link ProduceDecision.ToSpool} when a spool is configured), the token bucket
 * (→ {@code rate-limited}); only a {@link ProduceDecision.Send} or {@code ToSpool} takes tokens.
 */
public final class EventIntake {
    private static final byte[] NO_BYTES = new byte[0];
    private final ProducerSettings settings;
    private final TokenBucket bucket;
    private long inFlightMessages;
    private long inFlightBytes;

    public EventIntake(ProducerSettings settings, TokenBucket bucket) {
        this.settings = settings;
        this.bucket = bucket;
    }

    /**
     * Decides one event.
     *
     * @param body          a {@link JsonObject}, or its JSON as a {@link Buffer} or {@link String}; anything else is invalid
     * @param correlationId becomes the record's {@code correlation-id} header when not null
     */
    public ProduceDecision decide(Object body, String correlationId) {
        ValidationResult vr;
        byte[] raw;
        if (body instanceof JsonObject jo) {
            try {
                raw = jo.toBuffer().getBytes(); // encoded once: the record value and the size check
                vr = settings.validator().validate(jo, raw.length);
            } catch (RuntimeException e) {
                raw = NO_BYTES;
                vr = new ValidationResult.Invalid(
                        ValidationResult.NOT_JSON_OBJECT, null, "the event cannot be encoded as JSON");
            }
        } else if (body instanceof Buffer b) {
            raw = b.getBytes();
            vr = settings.validator().scan(raw);
        } else if (body instanceof String s) {
            raw = s.getBytes(StandardCharsets.UTF_8);
            vr = settings.validator().scan(raw);
        } else {
            raw = String.valueOf(body).getBytes(StandardCharsets.UTF_8);
            vr = new ValidationResult.Invalid(
                    ValidationResult.NOT_JSON_OBJECT,
                    null,
                    "body must be a JSON object or its bytes, got "
                            + (body == null ? "null" : body.getClass().getSimpleName()));
        }
        if (vr instanceof ValidationResult.Invalid inv) {
            return reject(raw, inv);
        }
        ValidationResult.Valid valid = (ValidationResult.Valid) vr;
        String topic = settings.router().route(valid.code()).orElse(null);
        if (topic == null) {
            return reject(raw, ValidationResult.Invalid.unknownCode(valid.code()));
        }
        boolean full = full(raw.length);
        if (full && !settings.spool().enabled()) {
            return overloaded();
        }
        long waitNanos = bucket.reserve(1, raw.length);
        if (waitNanos < 0) {
            return new ProduceDecision.Refuse(
                    ProduceAnswer.RATE_LIMITED,
                    "over " + bucket.messagesPerSecond() + " msg/s or " + bucket.bytesPerSecond()
                            + " B/s beyond the allowed wait");
        }
        String key = settings.keys().key(valid.code(), valid.truckId());
        RecordHeaders headers = null;
        if (correlationId != null) {
            headers = new RecordHeaders();
            headers.add(ProducerVerticle.CORRELATION_HEADER, correlationId.getBytes(StandardCharsets.UTF_8));
        }
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, null, null, key.getBytes(StandardCharsets.UTF_8), raw, headers);
        if (full) {
            return new ProduceDecision.ToSpool(record);
        }
        inFlightMessages++;
        inFlightBytes += raw.length;
        return new ProduceDecision.Send(record, waitNanos);
    }

    private boolean full(long bytes) {
        return inFlightMessages >= settings.maxInFlightMessages()
                || inFlightBytes + bytes > settings.maxInFlightBytes();
    }

    private ProduceDecision.Refuse overloaded() {
        return new ProduceDecision.Refuse(
                ProduceAnswer.OVERLOADED,
                "more than " + settings.maxInFlightMessages() + " events or " + settings.maxInFlightBytes()
                        + " bytes await acknowledgement");
    }

    /**
     * An invalid event goes to the DLQ inside the in-flight bound: its DLQ record (value cut to 4 x maxEventBytes)
     * takes an in-flight share, given back by {@link #releaseRejected}; over the bound it is {@code overloaded}.
     */
    private ProduceDecision reject(byte[] raw, ValidationResult.Invalid inv) {
        int max = settings.validator().maxEventBytes();
        byte[] value =
                raw.length > max * 4L ? java.util.Arrays.copyOf(raw, max * 4) : raw; // keep the DLQ record bounded
        if (full(value.length)) {
            return overloaded();
        }
        inFlightMessages++;
        inFlightBytes += value.length;
        return new ProduceDecision.Reject(value, inv);
    }

    /** A rejected event's DLQ send completed (either way): gives back its in-flight share. */
    public void releaseRejected(ProduceDecision.Reject reject) {
        inFlightMessages--;
        inFlightBytes -= reject.raw().length;
    }

    /** A sent record was acknowledged or failed: gives back its in-flight share. */
    public void release(ProducerRecord<byte[], byte[]> record) {
        inFlightMessages--;
        inFlightBytes -= record.value().length;
    }

    /** Events sent (or waiting for their token-bucket slot) and not yet acknowledged. */
    public long inFlightMessages() {
        return inFlightMessages;
    }

    /** Their bytes. */
    public long inFlightBytes() {
        return inFlightBytes;
    }
}

package io.sluice.lambda.record;

import io.sluice.lambda.event.KafkaEventRecord;

/**
 * Turns a decoded, validated record into the routed record: adds topic/partition/offset, the record key,
 * the idempotency key ({@link #idempotencyKey}: the event id, stable across redeliveries of the same event) and the
 * {@value #CORRELATION_HEADER} header when present.
 */
public final class RecordTransformer {

    /** Kafka header carrying the correlation id. */
    public static final String CORRELATION_HEADER = "correlation-id";

    /** The event id when present, else {@code <topic>-<partition>@<offset>} (stable across redeliveries too). */
    public static String idempotencyKey(String eventId, String topic, int partition, long offset) {
        return eventId != null && !eventId.isBlank() ? eventId : topic + "-" + partition + "@" + offset;
    }

    public RoutedRecord transform(DecodedRecord decoded, TelemetryEvent event) {
        KafkaEventRecord src = decoded.source();
        return new RoutedRecord(
                event.eventId(),
                event.code(),
                event.truckId(),
                event.timestamp(),
                event.seq(),
                decoded.key(),
                src.topic(),
                src.partition(),
                src.offset(),
                idempotencyKey(event.eventId(), src.topic(), src.partition(), src.offset()),
                decoded.headers().get(CORRELATION_HEADER),
                event.json());
    }
}

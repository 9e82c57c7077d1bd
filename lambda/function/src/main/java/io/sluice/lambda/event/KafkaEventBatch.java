package io.sluice.lambda.event;

import java.util.List;

/**
 * A parsed Lambda Kafka event: its source and its records in event order.
 *
 * @param deliveryAttempt Sluice's {@code sluiceDeliveryAttempt} field (the invocation's attempt at these records,
 *                        2 and up on a retry), 1 when absent (an event source mapping never writes it)
 */
public record KafkaEventBatch(
        String eventSource, String eventSourceArn, List<KafkaEventRecord> records, int deliveryAttempt) {

    /** Sluice's event-level field: the attempt of this invocation at its records (written only when above 1). */
    public static final String DELIVERY_ATTEMPT_FIELD = "sluiceDeliveryAttempt";

    public KafkaEventBatch {
        records = List.copyOf(records);
    }

    /** A first attempt. */
    public KafkaEventBatch(String eventSource, String eventSourceArn, List<KafkaEventRecord> records) {
        this(eventSource, eventSourceArn, records, 1);
    }
}

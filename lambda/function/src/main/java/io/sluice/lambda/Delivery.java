package io.sluice.lambda;

import io.sluice.lambda.event.KafkaEventRecord;
import io.sluice.lambda.record.RoutedRecord;

/**
 * One delivery of an invocation: a record to one target.
 *
 * @param suspect Sluice marked the record as a possible redelivery
 * @param claimed this invocation holds the lock of {@link #dedupeKey()}
 */
record Delivery(KafkaEventRecord source, RoutedRecord record, String target, boolean suspect, boolean claimed) {

    Delivery(KafkaEventRecord source, RoutedRecord record, String target, boolean suspect) {
        this(source, record, target, suspect, false);
    }

    /** {@code <target>|<idempotencyKey>}. */
    String dedupeKey() {
        return target + "|" + record.idempotencyKey();
    }

    Delivery locked() {
        return new Delivery(source, record, target, suspect, true);
    }
}

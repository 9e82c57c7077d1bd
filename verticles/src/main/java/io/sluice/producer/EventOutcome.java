package io.sluice.producer;

import org.apache.kafka.clients.producer.RecordMetadata;

/** Where one event's outcome goes: a single request's reply, or a slot of a batch reply. Event loop only. */
interface EventOutcome {
    /** Kafka acknowledged it. */
    void accepted(RecordMetadata md);

    /** It is forced to disk in the spool, bound for {@code topic}. */
    void spooled(String topic);

    void failed(ProduceAnswer answer, String detail);
}

package io.sluice.consumer;

import io.sluice.pipeline.InRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a record fetched from Kafka into the {@link InRecord} that travels through batching and dispatch, in
 * the terms of the AWS Lambda Kafka event (what an event source mapping sends). Pure: no I/O, no state.
 */
public final class RecordConversion {

    private RecordConversion() {
    }

    /**
     * One fetched record as an {@link InRecord}: coordinates, timestamp, key, value and headers (in their
     * order, duplicates and null values kept) as Kafka delivered them.
     *
     * @param epoch assignment epoch of the record's partition when it was polled
     * @param nowMs wall-clock time the consumer received it
     */
    public static InRecord toInRecord(ConsumerRecord<byte[], byte[]> r, long epoch, long nowMs) {
        List<InRecord.Header> headers = new ArrayList<>(2);
        for (Header h : r.headers()) {
            headers.add(new InRecord.Header(h.key(), h.value()));
        }
        return new InRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), awsTimestampType(r.timestampType()),
                r.key(), r.value(), List.copyOf(headers), epoch, nowMs);
    }

    /** The {@code timestampType} written for a Kafka timestamp type. */
    public static String awsTimestampType(TimestampType type) {
        return type.name;
    }
}

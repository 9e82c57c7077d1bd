package io.sluice.consumer;

import io.sluice.pipeline.InRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Turns a record fetched from Kafka into the {@link InRecord} that travels through batching and dispatch, in
 * the terms of the AWS Lambda Kafka event (what an event source mapping sends). Pure: no I/O, no state.
 */
public final class RecordConversion {

    /** {@code timestampType} of a record whose producer set its timestamp (Kafka's {@code CreateTime}). */
    public static final String CREATE_TIME = "CREATE_TIME";
    /** {@code timestampType} of a record stamped by the broker (Kafka's {@code LogAppendTime}). */
    public static final String LOG_APPEND_TIME = "LOG_APPEND_TIME";
    /** {@code timestampType} of a record without a timestamp (Kafka's {@code NoTimestampType}). */
    public static final String NO_TIMESTAMP_TYPE = "NO_TIMESTAMP_TYPE";

    private RecordConversion() {
    }

    /**
     * One fetched record as an {@link InRecord}: coordinates, timestamp, key, value and headers (in their
     * order, duplicates and null values kept) as Kafka delivered them; {@code timestampType} as the AWS name.
     *
     * @param epoch assignment epoch of the record's partition when it was polled
     * @param nowMs wall-clock time the consumer received it
     */
    public static InRecord toInRecord(ConsumerRecord<byte[], byte[]> r, long epoch, long nowMs) {
        Header[] hs = r.headers().toArray();
        List<InRecord.Header> headers;
        if (hs.length == 0) {
            headers = List.of();
        } else if (hs.length == 1) {
            headers = List.of(new InRecord.Header(hs[0].key(), hs[0].value()));
        } else {
            InRecord.Header[] copy = new InRecord.Header[hs.length];
            for (int i = 0; i < hs.length; i++) {
                copy[i] = new InRecord.Header(hs[i].key(), hs[i].value());
            }
            headers = Collections.unmodifiableList(Arrays.asList(copy));
        }
        return new InRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), awsTimestampType(r.timestampType()),
                r.key(), r.value(), headers, epoch, nowMs);
    }

    /**
     * The name the AWS Lambda Kafka event uses for a Kafka timestamp type: {@code CREATE_TIME},
     * {@code LOG_APPEND_TIME} or {@code NO_TIMESTAMP_TYPE} (not Kafka's display names {@code CreateTime},
     * {@code LogAppendTime}, {@code NoTimestampType}). A missing type is {@code NO_TIMESTAMP_TYPE}.
     */
    public static String awsTimestampType(TimestampType type) {
        if (type == null) {
            return NO_TIMESTAMP_TYPE;
        }
        return switch (type) {
            case CREATE_TIME -> CREATE_TIME;
            case LOG_APPEND_TIME -> LOG_APPEND_TIME;
            case NO_TIMESTAMP_TYPE -> NO_TIMESTAMP_TYPE;
        };
    }
}

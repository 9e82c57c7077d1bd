package io.sluice.consumer;

import io.sluice.record.InRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;

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

    private RecordConversion() {}

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
        return new InRecord(
                r.topic(),
                r.partition(),
                r.offset(),
                r.timestamp(),
                awsTimestampType(r.timestampType()),
                r.key(),
                r.value(),
                headers,
                epoch,
                nowMs);
    }

    /** Header marking a record that may have been delivered before ({@link RedeliveryMarks}); value {@code 1}. */
    public static final String SUSPECT_HEADER = "sluice-suspect";
    /** Header with the delivery attempt of a suspect record as far as Sluice knows: {@code 2} (at least the second). */
    public static final String DELIVERY_ATTEMPT_HEADER = "sluice-delivery-attempt";

    private static final byte[] ONE = {'1'};
    private static final byte[] TWO = {'2'};

    /**
     * {@link #toInRecord} for a record that may be a redelivery: its headers end with {@value #SUSPECT_HEADER}
     * {@code 1} and {@value #DELIVERY_ATTEMPT_HEADER} {@code 2} (counted in its payload bytes like any header).
     */
    public static InRecord toSuspectInRecord(ConsumerRecord<byte[], byte[]> r, long epoch, long nowMs) {
        List<InRecord.Header> headers = new ArrayList<>(4);
        for (Header h : r.headers()) {
            headers.add(new InRecord.Header(h.key(), h.value()));
        }
        headers.add(new InRecord.Header(SUSPECT_HEADER, ONE));
        headers.add(new InRecord.Header(DELIVERY_ATTEMPT_HEADER, TWO));
        return new InRecord(
                r.topic(),
                r.partition(),
                r.offset(),
                r.timestamp(),
                awsTimestampType(r.timestampType()),
                r.key(),
                r.value(),
                List.copyOf(headers),
                epoch,
                nowMs);
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

package io.sluice.lambda.record;

import io.sluice.lambda.event.KafkaEventRecord;
import java.util.Map;

/**
 * A Kafka record with key, value and headers decoded.
 *
 * @param source the record as it arrived
 * @param key the UTF-8 decoded key, or null when the record has none
 * @param value the raw value bytes
 * @param headers header name to UTF-8 decoded value (the last occurrence wins)
 */
public record DecodedRecord(KafkaEventRecord source, String key, byte[] value, Map<String, String> headers) {

    public DecodedRecord {
        headers = Map.copyOf(headers);
    }
}

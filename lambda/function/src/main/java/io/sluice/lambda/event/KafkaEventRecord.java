package io.sluice.lambda.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.lambda.RecordId;

/**
 * One record of a Lambda Kafka event, still encoded: {@code key}/{@code value} are base64 (possibly null)
 * and {@code headers} is the raw AWS header list ({@code [{"name":[104,105]}]}); they are decoded per record
 * by {@link io.sluice.lambda.record.RecordDecoder} so that one bad record does not fail the batch.
 *
 * @param timestampType {@code CREATE_TIME}, {@code LOG_APPEND_TIME} or {@code NO_TIMESTAMP_TYPE} (the AWS names;
 *                      Kafka's {@code CreateTime}… are read as these), null when the event has none
 */
public record KafkaEventRecord(
        String topic,
        int partition,
        long offset,
        long timestamp,
        String timestampType,
        String keyBase64,
        String valueBase64,
        JsonNode headers) {

    public RecordId id() {
        return RecordId.of(topic, partition, offset);
    }
}

package io.sluice.lambda;

import java.util.Objects;

/**
 * Identifies one Kafka record the way the Lambda Kafka event and its partial-failure response do:
 * {@code {"topic-partition":"t-0","offset":15}}.
 *
 * @param topicPartition {@code <topic>-<partition>}
 * @param offset the record offset
 */
public record RecordId(String topicPartition, long offset) {

    public RecordId {
        Objects.requireNonNull(topicPartition, "topicPartition");
    }

    public static RecordId of(String topic, int partition, long offset) {
        return new RecordId(topic + "-" + partition, offset);
    }

    @Override
    public String toString() {
        return topicPartition + "@" + offset;
    }
}

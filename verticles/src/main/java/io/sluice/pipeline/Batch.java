package io.sluice.pipeline;

import java.util.List;

/**
 * Records of one partition (and one lane) sent to the function in one invocation.
 *
 * @param lane         lane index within the partition (0 in partition ordering)
 * @param payloadBytes estimated Lambda payload size
 * @param closeReason  why the batch closed: {@code count}, {@code bytes}, {@code linger}, {@code flush}, {@code too-large}
 */
public record Batch(long id, String topic, int partition, int lane, List<InRecord> records, int payloadBytes,
                    String closeReason) {

    public Batch {
        records = List.copyOf(records);
    }

    public String topicPartition() {
        return topic + "-" + partition;
    }

    /** "t-3@100..149", for log lines. */
    public String range() {
        return topicPartition() + "@" + records.get(0).offset() + ".." + records.get(records.size() - 1).offset();
    }
}

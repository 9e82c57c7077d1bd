package io.sluice.pipeline;

import org.apache.kafka.common.TopicPartition;

import java.util.Set;

/** Stop batching these partitions; reply once their in-flight batches are final, or after {@code timeoutMs}. */
public record RevokeRequest(Set<TopicPartition> partitions, long timeoutMs) {
    public RevokeRequest {
        partitions = Set.copyOf(partitions);
    }
}

package io.sluice.record;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** Stop batching these partitions; reply once their in-flight batches are final, or after {@code timeoutMs}. */
public record RevokeRequest(Set<TopicPartition> partitions, long timeoutMs) {
    public RevokeRequest {
        partitions = Set.copyOf(partitions);
    }
}

package io.sluice.consumer;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a consumer's lag reads the partitions' end offsets without touching the consumer's own thread (a
 * network round trip there would delay the next poll). The pipeline's implementation asks Kafka through an
 * admin client, asynchronously.
 */
public interface EndOffsets extends AutoCloseable {
    /** The end offsets (log end, or last stable offset for read_committed) of {@code partitions}. */
    CompletionStage<Map<TopicPartition, Long>> latest(Set<TopicPartition> partitions);

    /** Releases the client; blocking, call off the event loop. */
    @Override
    void close();
}

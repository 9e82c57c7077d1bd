package io.sluice.consumer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * End offsets as the consumer knows them without a network round trip: its position plus the lag its last
 * fetch reported ({@code Consumer#currentLag}). Partitions without a position or a fetch yet are left out.
 * Runs on the consumer's thread.
 */
final class LocalEnds {
    private LocalEnds() {}

    static Map<TopicPartition, Long> read(Consumer<?, ?> c, Set<TopicPartition> tps) {
        Map<TopicPartition, Long> out = new HashMap<>();
        Set<TopicPartition> assigned = c.assignment();
        for (TopicPartition tp : tps) {
            if (!assigned.contains(tp)) {
                continue;
            }
            OptionalLong lag = c.currentLag(tp);
            if (lag.isEmpty()) {
                continue;
            }
            try {
                out.put(tp, c.position(tp, Duration.ZERO) + lag.getAsLong()); // zero: never waits for Kafka
            } catch (TimeoutException noPositionYet) {
                // no position without asking the group coordinator: unknown for now
            }
        }
        return out;
    }
}

package io.sluice.producer;

import java.util.List;
import java.util.Objects;

/**
 * Body of {@code sluice.produce.batch}: many events in one event-bus message, carried by a local codec
 * (no copy). Each event is what {@code sluice.produce} takes: a {@code JsonObject}, or its JSON as a
 * {@code Buffer} or {@code String}. The list and its events are handed over: the sender must not change
 * them afterwards. The answer is one {@link ProduceBatchReply} with a result per event, in this order.
 *
 * @param events the events, in the order they are sent to Kafka (per-key order is kept within a batch)
 */
public record ProduceBatch(List<?> events) {
    public ProduceBatch {
        Objects.requireNonNull(events, "events");
    }

    public int size() {
        return events.size();
    }
}

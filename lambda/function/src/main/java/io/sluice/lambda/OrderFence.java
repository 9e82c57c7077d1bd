package io.sluice.lambda;

import io.sluice.lambda.event.KafkaEventRecord;
import java.util.HashSet;
import java.util.Set;

/**
 * The per-key order fence of one invocation: once a record of a key has failed, every later record of that
 * key in the same invocation is held back (not delivered, reported failed). Pure, not thread-safe: one
 * instance per {@link Dispatcher#dispatch} call.
 *
 * <p>A record's fence key is its topic-partition plus its Kafka record key bytes (compared as the event's
 * base64 text, which is canonical for what Sluice and an event source mapping send). Kafka orders a key only
 * within its partition, so the same key in another partition of the invocation is not held back. Records
 * without a key share one fence key per topic-partition: a failed null-key record holds back every later
 * null-key record of its partition (their order is the partition's, the only one Kafka gives them), but not
 * keyed records.
 */
final class OrderFence {

    private final Set<FenceKey> failed = new HashSet<>();

    /** True when an earlier record of {@code record}'s key failed in this invocation. */
    boolean holds(KafkaEventRecord record) {
        return !failed.isEmpty() && failed.contains(keyOf(record));
    }

    /** Records that {@code record} failed: the later records of its key are held from now on. */
    void fail(KafkaEventRecord record) {
        failed.add(keyOf(record));
    }

    private static FenceKey keyOf(KafkaEventRecord record) {
        return new FenceKey(record.topic(), record.partition(), record.keyBase64());
    }

    /** @param keyBase64 null for a record without a key */
    private record FenceKey(String topic, int partition, String keyBase64) {}
}

package io.sluice.consumer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/** A MockConsumer whose poll waits a little when it has nothing, like a real one. */
public final class PacedConsumer extends MockConsumer<byte[], byte[]> {
    public final AtomicInteger polls = new AtomicInteger();
    public volatile long endOffsetsDelayMs;
    /** The last offset committed per partition (sync or async), as the broker would have it. */
    public final Map<TopicPartition, Long> lastCommitted = new java.util.concurrent.ConcurrentHashMap<>();

    public PacedConsumer() {
        super(OffsetResetStrategy.EARLIEST);
    }

    @Override
    public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        polls.incrementAndGet();
        ConsumerRecords<byte[], byte[]> r = super.poll(timeout);
        if (r.isEmpty()) {
            try {
                wait(5); // releases the monitor: other threads may add records meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return r;
    }

    @Override
    public synchronized void commitSync(
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets, Duration timeout) {
        super.commitSync(offsets, timeout);
        offsets.forEach((tp, om) -> lastCommitted.put(tp, om.offset()));
    }

    @Override
    public synchronized void commitAsync(
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets,
            org.apache.kafka.clients.consumer.OffsetCommitCallback callback) {
        offsets.forEach((tp, om) -> lastCommitted.put(tp, om.offset()));
        super.commitAsync(offsets, callback);
    }

    @Override
    public synchronized Map<TopicPartition, Long> endOffsets(
            java.util.Collection<TopicPartition> partitions, Duration timeout) {
        try {
            Thread.sleep(endOffsetsDelayMs); // a network round trip to a slow broker
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return super.endOffsets(partitions, timeout);
    }

    /** Assigns {@code partitions} (from the poll thread, inside poll, as Kafka does), starting at offset 0. */
    public void assignOnNextPoll(List<TopicPartition> partitions) {
        schedulePollTask(() -> {
            Map<TopicPartition, Long> begin = new java.util.HashMap<>();
            partitions.forEach(tp -> begin.put(tp, 0L));
            updateBeginningOffsets(begin);
            rebalance(partitions);
        });
    }

    /** Adds records (from the poll thread). */
    public void addOnNextPoll(List<ConsumerRecord<byte[], byte[]>> records) {
        schedulePollTask(() -> records.forEach(this::addRecord));
    }
}

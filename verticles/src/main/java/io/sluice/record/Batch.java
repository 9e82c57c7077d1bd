package io.sluice.record;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Records sent to the function in one invocation: one or more slices, each the next records of one lane (a
 * partition, or a key lane of a partition), in offset order. No lane appears twice in a batch, and a lane is
 * in at most one batch in flight, so the records of a lane reach the function in offset order.
 *
 * @param payloadBytes estimated Lambda payload size
 * @param closeReason  why the batch went: {@code count}, {@code bytes}, {@code wait} (adaptive),
 *                     {@code linger} (fixed), {@code flush}, {@code too-large}
 * @param waitedMs     how long its oldest record waited in batching (the fill time)
 */
public record Batch(
        long id, List<Slice> slices, List<InRecord> records, int payloadBytes, String closeReason, long waitedMs) {

    /** The records of one lane in this batch. */
    public record Slice(String topic, int partition, int lane, List<InRecord> records) {
        public Slice {
            records = List.copyOf(records);
            if (records.isEmpty()) {
                throw new IllegalArgumentException("a slice holds at least one record");
            }
        }

        public String topicPartition() {
            return topic + "-" + partition;
        }

        /** "t-3@100..149", for log lines. */
        public String range() {
            return topicPartition() + "@" + records.get(0).offset() + ".."
                    + records.get(records.size() - 1).offset();
        }
    }

    public Batch {
        slices = List.copyOf(slices);
        records = Collections.unmodifiableList(records);
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one slice");
        }
    }

    /** A batch of these slices; {@link #records()} is their records, slice after slice. */
    public static Batch of(long id, List<Slice> slices, int payloadBytes, String closeReason, long waitedMs) {
        List<InRecord> all = new ArrayList<>();
        for (Slice s : slices) {
            all.addAll(s.records());
        }
        return new Batch(id, slices, all, payloadBytes, closeReason, waitedMs);
    }

    /** A batch of one lane's records. */
    public static Batch single(
            long id,
            String topic,
            int partition,
            int lane,
            List<InRecord> records,
            int payloadBytes,
            String closeReason) {
        return of(id, List.of(new Slice(topic, partition, lane, records)), payloadBytes, closeReason, 0);
    }

    /** How many partitions its records belong to. */
    public int partitionCount() {
        return (int) slices.stream().map(Slice::topicPartition).distinct().count();
    }

    /** "t-3@100..149" for one slice, "t-3@100..149 +4 lanes" for more, for log lines. */
    public String range() {
        String first = slices.get(0).range();
        return slices.size() == 1 ? first : first + " +" + (slices.size() - 1) + " lanes";
    }
}

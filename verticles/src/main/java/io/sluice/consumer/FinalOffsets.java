package io.sluice.consumer;

import io.sluice.pipeline.InRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Groups a finished batch's offsets by partition and assignment epoch. Pure logic. */
final class FinalOffsets {
    private FinalOffsets() {
    }

    /** Offsets of {@code records} per partition, then per epoch, in record order. */
    static Map<TopicPartition, Map<Long, long[]>> byPartitionAndEpoch(List<InRecord> records) {
        Map<TopicPartition, Map<Long, long[]>> out = new HashMap<>();
        Map<TopicPartition, Map<Long, Integer>> sizes = new HashMap<>();
        for (InRecord r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            sizes.computeIfAbsent(tp, k -> new HashMap<>()).merge(r.epoch(), 1, Integer::sum);
        }
        Map<TopicPartition, Map<Long, Integer>> filled = new HashMap<>();
        for (InRecord r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            long[] arr = out.computeIfAbsent(tp, k -> new HashMap<>())
                    .computeIfAbsent(r.epoch(), e -> new long[sizes.get(tp).get(e)]);
            int i = filled.computeIfAbsent(tp, k -> new HashMap<>()).merge(r.epoch(), 1, Integer::sum) - 1;
            arr[i] = r.offset();
        }
        return out;
    }
}

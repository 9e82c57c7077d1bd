package io.sluice.consumer;

import io.sluice.record.InRecord;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** Groups a finished batch's offsets by partition and assignment epoch. Pure logic. */
final class FinalOffsets {
    private FinalOffsets() {}

    /**
     * Offsets of {@code records} per partition, then per epoch, in record order. One pass; records come in runs of
     * one partition and epoch (a batch's slices), so a lookup happens per run, not per record.
     */
    static Map<TopicPartition, Map<Long, long[]>> byPartitionAndEpoch(List<InRecord> records) {
        Map<TopicPartition, Map<Long, long[]>> out = new HashMap<>();
        Map<TopicPartition, Map<Long, int[]>> filled = new HashMap<>();
        Map<Long, long[]> byEpoch = null;
        long[] arr = null;
        int[] n = null;
        InRecord run = null;
        for (InRecord r : records) {
            if (run == null
                    || r.partition() != run.partition()
                    || r.epoch() != run.epoch()
                    || !r.topic().equals(run.topic())) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                byEpoch = out.computeIfAbsent(tp, k -> new HashMap<>());
                n = filled.computeIfAbsent(tp, k -> new HashMap<>()).computeIfAbsent(r.epoch(), e -> new int[1]);
                arr = byEpoch.computeIfAbsent(r.epoch(), e -> new long[16]);
                run = r;
            }
            if (n[0] == arr.length) {
                arr = Arrays.copyOf(arr, arr.length * 2);
                byEpoch.put(r.epoch(), arr);
            }
            arr[n[0]++] = r.offset();
        }
        for (Map.Entry<TopicPartition, Map<Long, long[]>> p : out.entrySet()) {
            Map<Long, int[]> sizes = filled.get(p.getKey());
            p.getValue()
                    .replaceAll((epoch, offsets) -> offsets.length == sizes.get(epoch)[0]
                            ? offsets
                            : Arrays.copyOf(offsets, sizes.get(epoch)[0]));
        }
        return out;
    }
}

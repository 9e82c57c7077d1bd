package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.record.InRecord;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class FinalOffsetsTest {
    private static InRecord rec(int partition, long offset, long epoch) {
        return new InRecord(
                "t",
                partition,
                offset,
                0,
                RecordConversion.CREATE_TIME,
                null,
                new byte[] {'{', '}'},
                List.of(),
                epoch,
                0);
    }

    /** A batch holding records of two assignments of one partition completes each under its own epoch. */
    @Test
    void offsetsAreGroupedByPartitionAndEpochInRecordOrder() {
        Map<TopicPartition, Map<Long, long[]>> g = FinalOffsets.byPartitionAndEpoch(
                List.of(rec(0, 4, 1), rec(0, 5, 1), rec(0, 0, 2), rec(1, 7, 3), rec(0, 1, 2)));
        assertThat(g).containsOnlyKeys(new TopicPartition("t", 0), new TopicPartition("t", 1));
        assertThat(g.get(new TopicPartition("t", 0))).containsOnlyKeys(1L, 2L);
        assertThat(g.get(new TopicPartition("t", 0)).get(1L)).containsExactly(4, 5);
        assertThat(g.get(new TopicPartition("t", 0)).get(2L)).containsExactly(0, 1);
        assertThat(g.get(new TopicPartition("t", 1)).get(3L)).containsExactly(7);
    }

    /** Long runs that return to a partition seen before keep every offset, in order (the buffers grow). */
    @Test
    void longInterleavedRunsKeepEveryOffsetInOrder() {
        List<InRecord> records = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            records.add(rec(i / 10 % 2, i, 1)); // runs of 10: partition 0, 1, 0, 1, ...
        }
        Map<TopicPartition, Map<Long, long[]>> g = FinalOffsets.byPartitionAndEpoch(records);
        long[] p0 = java.util.stream.LongStream.range(0, 100)
                .filter(i -> i / 10 % 2 == 0)
                .toArray();
        long[] p1 = java.util.stream.LongStream.range(0, 100)
                .filter(i -> i / 10 % 2 == 1)
                .toArray();
        assertThat(g.get(new TopicPartition("t", 0)).get(1L)).containsExactly(p0);
        assertThat(g.get(new TopicPartition("t", 1)).get(1L)).containsExactly(p1);
    }

    /** The newer assignment's records become final although the batch starts with stale ones. */
    @Test
    void aStaleFirstRecordDoesNotHideTheNewerAssignmentsRecords() {
        OffsetTracker tracker = new OffsetTracker();
        TopicPartition tp = new TopicPartition("t", 0);
        tracker.assign(tp, 2, -1); // epoch 1 was lost; epoch 2 starts from the beginning
        assertThat(tracker.fetched(tp, 2, new long[] {0, 1}, new long[] {0, 0}, new int[] {10, 10}))
                .isTrue();
        int done = 0;
        for (Map.Entry<Long, long[]> e : FinalOffsets.byPartitionAndEpoch(
                        List.of(rec(0, 9, 1), rec(0, 0, 2), rec(0, 1, 2)))
                .get(tp)
                .entrySet()) {
            done += tracker.complete(tp, e.getKey(), e.getValue());
        }
        assertThat(done).isEqualTo(2);
        assertThat(tracker.commitCandidates()).containsEntry(tp, 2L);
    }
}

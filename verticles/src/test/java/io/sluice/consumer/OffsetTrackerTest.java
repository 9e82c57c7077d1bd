package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    private static long[] offs(long... o) {
        return o;
    }

    private static void fetch(OffsetTracker t, long epoch, long... offsets) {
        t.fetched(TP, epoch, offsets, new long[offsets.length], new int[offsets.length]);
    }

    @Test
    void commitsOnlyTheContiguousFinalPrefixWhenCompletionsArriveOutOfOrder() {
        OffsetTracker t = new OffsetTracker();
        t.assign(TP, 1, 100);
        fetch(t, 1, 100, 101, 102, 103, 104);
        t.complete(TP, 1, offs(102, 103));
        assertThat(t.commitCandidates()).isEmpty(); // 100 not final: nothing may be committed
        t.complete(TP, 1, offs(100));
        assertThat(t.commitCandidates()).containsEntry(TP, 101L);
        t.complete(TP, 1, offs(101));
        assertThat(t.commitCandidates()).containsEntry(TP, 104L);
        t.complete(TP, 1, offs(104));
        assertThat(t.commitCandidates()).containsEntry(TP, 105L);
        assertThat(t.pending()).isZero();
    }

    @Test
    void offsetsMissingFromTheLogDoNotStallTheCommit() {
        OffsetTracker t = new OffsetTracker();
        t.assign(TP, 1, 0);
        // 2 and 5..6 are transaction markers / compacted away: never fetched
        fetch(t, 1, 0, 1, 3, 4);
        fetch(t, 1, 7, 8);
        t.complete(TP, 1, offs(0, 1, 3, 4));
        assertThat(t.commitCandidates()).containsEntry(TP, 7L);
        t.complete(TP, 1, offs(7, 8));
        assertThat(t.commitCandidates()).containsEntry(TP, 9L);
    }

    @Test
    void lateCompletionAfterReassignmentNeverMovesTheNewTracker() {
        OffsetTracker t = new OffsetTracker();
        t.assign(TP, 1, 0);
        fetch(t, 1, 0, 1, 2);
        t.revoke(List.of(TP));
        t.assign(TP, 2, 0); // re-assigned: new epoch, redelivered from the committed offset
        fetch(t, 2, 0, 1, 2);
        assertThat(t.complete(TP, 1, offs(0, 1, 2))).isZero(); // from the old assignment: ignored
        assertThat(t.commitCandidates()).isEmpty();
        assertThat(t.complete(TP, 2, offs(0))).isEqualTo(1);
        assertThat(t.commitCandidates()).containsEntry(TP, 1L);
    }

    @Test
    void revocationMidFlightYieldsTheFinalPrefixAndForgetsThePartition() {
        OffsetTracker t = new OffsetTracker();
        t.assign(TP, 1, 10);
        fetch(t, 1, 10, 11, 12, 13);
        t.complete(TP, 1, offs(10, 11, 13));
        Map<TopicPartition, Long> positions = t.commitPositions(List.of(TP));
        assertThat(positions).containsEntry(TP, 12L); // 12 in flight: commit stops before it
        t.revoke(List.of(TP));
        assertThat(t.assigned()).isEmpty();
        assertThat(t.complete(TP, 1, offs(12))).isZero();
    }

    @Test
    void committedOffsetsOnlyMoveForward() {
        OffsetTracker t = new OffsetTracker();
        t.assign(TP, 1, 5);
        fetch(t, 1, 5, 6);
        t.complete(TP, 1, offs(5, 6));
        t.committed(TP, 1, 7);
        t.committed(TP, 1, 6);
        assertThat(t.get(TP).committed()).isEqualTo(7);
        assertThat(t.commitCandidates()).isEmpty();
    }

    @Test
    void refetchAfterSeekKeepsOnlyNewOffsetsAndCountsBytes() {
        OffsetTracker t = new OffsetTracker();
        t.assign(TP, 1, 0);
        t.fetched(TP, 1, offs(0, 1, 2), new long[] {10, 11, 12}, new int[] {100, 100, 100});
        t.fetched(TP, 1, offs(1, 2, 3), new long[] {11, 12, 13}, new int[] {100, 100, 50});
        assertThat(t.pending()).isEqualTo(4);
        assertThat(t.pendingBytes()).isEqualTo(350);
        assertThat(t.get(TP).oldestPendingTimestamp()).isEqualTo(10);
        t.complete(TP, 1, offs(0));
        assertThat(t.get(TP).oldestPendingTimestamp()).isEqualTo(11);
        assertThat(t.pendingBytes()).isEqualTo(250);
    }

    @Test
    void fetchWithAStaleEpochIsRejected() {
        OffsetTracker t = new OffsetTracker();
        t.assign(TP, 3, 0);
        assertThat(t.fetched(TP, 2, offs(0), new long[1], new int[1])).isFalse();
        assertThat(t.pending()).isZero();
    }
}

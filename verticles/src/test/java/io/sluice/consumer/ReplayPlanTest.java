package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Where a replay moves each partition and how many records it delivers again or skips. */
@Timeout(5)
class ReplayPlanTest {
    private static final TopicPartition A = new TopicPartition("t", 0);
    private static final TopicPartition B = new TopicPartition("t", 1);
    private static final TopicPartition C = new TopicPartition("u", 0);
    private final Set<TopicPartition> assigned = Set.of(A, B, C);
    private final Map<TopicPartition, Long> begin = Map.of(A, 10L, B, 0L, C, 0L);
    private final Map<TopicPartition, Long> end = Map.of(A, 100L, B, 50L, C, 0L);
    private final Map<TopicPartition, Long> committed = Map.of(A, 90L, B, 50L, C, -1L);

    private static ReplayRequest req(ReplayRequest.To to, long ts, Map<TopicPartition, Long> offsets) {
        return new ReplayRequest(to, ts, offsets, true, 1000);
    }

    private ReplayPlan plan(ReplayRequest r, Map<TopicPartition, Long> byTime) {
        return ReplayPlan.of(r, ReplayPlan.targets(r, assigned, committed, begin, end, byTime), committed, begin, end);
    }

    @Test
    void timestampTargetsTheFirstOffsetAtOrAfterItOrTheEnd() {
        Map<TopicPartition, Long> byTime = new HashMap<>();
        byTime.put(A, 40L); // B: no record that late -> its end
        ReplayPlan p = plan(req(ReplayRequest.To.TIMESTAMP, 5, Map.of()), byTime);
        assertThat(p.partitions())
                .containsExactly(
                        new ReplayPlan.Row("t", 0, 90, 40, 10, 100, 50, 0),
                        new ReplayPlan.Row("t", 1, 50, 50, 0, 50, 0, 0),
                        new ReplayPlan.Row("u", 0, -1, 0, 0, 0, 0, 0));
        assertThat(p.redelivered()).isEqualTo(50);
        assertThat(p.notAssigned()).isEmpty();
    }

    @Test
    void earliestAndLatest() {
        ReplayPlan early = plan(req(ReplayRequest.To.EARLIEST, 0, Map.of()), Map.of());
        assertThat(early.redelivered()).isEqualTo(80 + 50);
        assertThat(early.partitions().get(0).target()).isEqualTo(10);
        ReplayPlan late = plan(req(ReplayRequest.To.LATEST, 0, Map.of()), Map.of());
        assertThat(late.redelivered()).isZero();
        assertThat(late.skipped())
                .as("A's 10 records after its commit are skipped")
                .isEqualTo(10);
    }

    @Test
    void givenOffsetsAreClampedOthersKeepTheirCommitAndUnknownOnesAreReported() {
        TopicPartition elsewhere = new TopicPartition("t", 7);
        Map<TopicPartition, Long> given = new java.util.LinkedHashMap<>();
        given.put(A, 5L); // below the beginning: 10
        given.put(B, 70L); // past the end: 50
        given.put(elsewhere, 3L);
        ReplayRequest r = req(ReplayRequest.To.OFFSETS, 0, given);
        Map<TopicPartition, Long> targets = ReplayPlan.targets(r, assigned, committed, begin, end, Map.of());
        assertThat(targets).isEqualTo(Map.of(A, 10L, B, 50L)); // C: not given and never committed -> left out
        ReplayPlan p = ReplayPlan.of(r, targets, committed, begin, end);
        assertThat(p.partitions()).extracting(ReplayPlan.Row::redelivered).containsExactly(80L, 0L);
        assertThat(p.notAssigned()).isEqualTo(List.of("t-7"));
    }

    @Test
    void aForwardMoveCountsSkippedRecords() {
        ReplayRequest r = req(ReplayRequest.To.OFFSETS, 0, Map.of(A, 95L));
        ReplayPlan p = ReplayPlan.of(
                r, ReplayPlan.targets(r, Set.of(A), committed, begin, end, Map.of()), committed, begin, end);
        assertThat(p.partitions()).containsExactly(new ReplayPlan.Row("t", 0, 90, 95, 10, 100, 0, 5));
    }
}

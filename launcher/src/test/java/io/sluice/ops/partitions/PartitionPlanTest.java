package io.sluice.ops.partitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PartitionPlanTest {
    /** 400 records per invocation over 4 lanes (100 per lane) at p99 200 ms: one lane moves 500 records/s. */
    private static PartitionPlan plan(double share, int lanesPerPartition) {
        return new PartitionPlan(13_000, 0.2, 400, 4, lanesPerPartition, share, 2_000, 0.7);
    }

    @Test
    void uniformKeysNeedTheRateOverThePlannedPartitionCapacity() {
        PartitionPlan p = plan(0, 1);
        assertThat(p.laneCapacity()).isEqualTo(500.0);
        assertThat(p.partitionCapacity()).isEqualTo(500.0);
        assertThat(p.partitions()).isEqualTo(38); // 13,000 / (0.7 · 500) = 37.1
        assertThat(p.consumers(38)).isEqualTo(10); // 13,000 / (0.7 · 2,000) = 9.3
        assertThat(p.consumers(6)).isEqualTo(6); // never above the partitions
        assertThat(p.concurrency()).isEqualTo(7); // 13,000 / 400 · 0.2 = 6.5
    }

    @Test
    void aHotKeyLoadsItsPartitionAndRaisesTheCount() {
        PartitionPlan p = plan(0.02, 1); // the key: 260 records/s of the 350 one partition is planned for
        assertThat(p.hotKeyRate()).isCloseTo(260, within(1e-9));
        assertThat(p.hotKeyFits()).isTrue();
        assertThat(p.partitions()).isEqualTo(142); // 0.98 · 13,000 / (350 − 260) = 141.6
    }

    @Test
    void keyLanesMultiplyAPartitionsCapacity() {
        PartitionPlan p = plan(0.02, 8);
        assertThat(p.partitionCapacity()).isEqualTo(4_000.0);
        assertThat(p.partitions()).isEqualTo(6); // 12,740 / (2,800 − 260) = 5.02
    }

    @Test
    void aKeyAboveOneLaneCannotBeHelpedByPartitions() {
        PartitionPlan p = plan(0.05, 8); // 650 records/s on one lane planned for 350
        assertThat(p.hotKeyFits()).isFalse();
        assertThat(p.partitions()).isEqualTo(-1);
    }

    /**
     * The formula against the load runner's measurements (docs/benchmarks.md, 2026-12-02, 950 ms function, fixed
     * batches so the effective batch is known): {@code slow-lambda} partition ordering, 500 records per batch, one lane
     * per partition, 12 partitions, delivered 6,101/s; {@code single-key} key ordering, one key, 1,000 per batch,
     * delivered 1,000/s. The formula's capacities are ceilings the measurements reach to 95-97 %.
     */
    @Test
    void agreesWithTheLoadRunnersCeilings() {
        PartitionPlan slow = new PartitionPlan(13_000, 0.95, 500, 1, 1, 0, 13_000, 1.0);
        assertThat(12 * slow.partitionCapacity()).isCloseTo(6_316, within(1.0));
        assertThat(6_101 / (12 * slow.partitionCapacity())).isBetween(0.95, 1.0);
        assertThat(slow.partitions()).isEqualTo(25); // what 13,000/s would have needed at that batch and latency
        PartitionPlan single = new PartitionPlan(10_000, 0.95, 1_000, 1, 8, 1.0, 10_000, 1.0);
        assertThat(single.laneCapacity()).isCloseTo(1_052.6, within(0.1));
        assertThat(1_000 / single.laneCapacity()).isCloseTo(0.95, within(1e-9)); // 95 % of the ceiling
        assertThat(single.hotKeyFits())
                .isFalse(); // 10,000/s on one key: no partition count helps (adaptive batches do)
    }

    /** At a light load adaptive batches are small: what the busiest lane already moves is the floor. */
    @Test
    void theBusiestLaneNowIsAFloorUnderTheBatchEstimate() {
        PartitionPlan p = new PartitionPlan(13_000, 0.2, 400, 4, 1, 0, 2_000, 0.7, 900);
        assertThat(p.batchLaneCapacity()).isEqualTo(500.0);
        assertThat(p.laneCapacity()).isEqualTo(900.0);
        assertThat(p.partitions()).isEqualTo(21); // 13,000 / (0.7 · 900) = 20.6
        assertThat(new PartitionPlan(13_000, 0.2, 400, 4, 1, 0, 2_000, 0.7, 100).laneCapacity())
                .isEqualTo(500.0);
    }

    @Test
    void thePlaybookDoubles() {
        assertThat(PartitionPlan.doubling(12, 13)).isEqualTo(24);
        assertThat(PartitionPlan.doubling(12, 24)).isEqualTo(24);
        assertThat(PartitionPlan.doubling(12, 25)).isEqualTo(48);
        assertThat(PartitionPlan.doubling(12, 5)).isEqualTo(12);
    }

    @Test
    void refusesInputsOutOfRange() {
        assertThatThrownBy(() -> new PartitionPlan(0, 0.2, 400, 4, 1, 0, 2_000, 0.7))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PartitionPlan(1, 0.2, 400, 4, 1, 1.5, 2_000, 0.7))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PartitionPlan(1, 0.2, 400, 4, 1, 0, 2_000, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void placementIsKafkasDefaultPartitioner() {
        for (int i = 0; i < 1_000; i++) {
            String k = "400:TRK-" + i;
            assertThat(KeyPlacement.partition(k, 12))
                    .isEqualTo(BuiltInPartitioner.partitionForKey(k.getBytes(StandardCharsets.UTF_8), 12));
        }
    }

    /** min(N, M) / lcm(N, M) stay, and real keys follow it. */
    @Test
    void theShareOfKeysThatMove() {
        assertThat(KeyPlacement.stayingShare(12, 24)).isEqualTo(0.5);
        assertThat(KeyPlacement.stayingShare(12, 18)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(KeyPlacement.stayingShare(12, 13)).isCloseTo(1.0 / 13, within(1e-12));
        assertThat(KeyPlacement.stayingShare(12, 12)).isEqualTo(1.0);
        for (int[] nm : new int[][] {{12, 24}, {12, 18}, {4, 6}}) {
            int moved = 0;
            int n = 100_000;
            for (int i = 0; i < n; i++) {
                moved += KeyPlacement.moves((300 + i % 50) + ":TRK-" + i, nm[0], nm[1]) ? 1 : 0;
            }
            assertThat((double) moved / n)
                    .as(nm[0] + " -> " + nm[1])
                    .isCloseTo(1 - KeyPlacement.stayingShare(nm[0], nm[1]), within(0.01));
        }
    }

    @Test
    void thePlacementSectionNamesEachHotKeysPartitions() {
        String k = "400:TRK-HOT";
        String text = PlanReport.placement(12, 24, List.of(k));
        int a = KeyPlacement.partition(k, 12);
        int b = KeyPlacement.partition(k, 24);
        assertThat(text)
                .contains("keys that move        50.0%")
                .contains(k + " ".repeat(21 - k.length() + 1) + "partition " + a + " -> " + b
                        + (a == b ? " (stays)" : " (moves)"));
    }
}

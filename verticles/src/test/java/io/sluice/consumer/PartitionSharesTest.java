package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionSharesTest {
    private static final TopicPartition HOT = new TopicPartition("t", 0);

    private static Map<TopicPartition, PartitionShares.Load> loads(int partitions, int hotRecords, int coldRecords) {
        Map<TopicPartition, PartitionShares.Load> m = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            int r = p == 0 ? hotRecords : coldRecords;
            m.put(new TopicPartition("t", p), new PartitionShares.Load(r, r * 200L));
        }
        return m;
    }

    /** 12 partitions, a 20,000-record bound: the hot one is paused at its share (1,666), the cold ones never. */
    @Test
    void onlyThePartitionOverItsSharePausesAndItResumesUnderTheLowWaterMark() {
        PartitionShares s = new PartitionShares(20_000, 64L << 20, 0.5, 1_000);
        assertThat(s.update(loads(12, 1_600, 300)).isEmpty()).isTrue();
        PartitionShares.Change c = s.update(loads(12, 1_700, 300));
        assertThat(c.pause()).containsExactly(HOT);
        assertThat(c.resume()).isEmpty();
        assertThat(s.update(loads(12, 1_200, 1_000)).isEmpty())
                .as("between the marks nothing changes")
                .isTrue();
        assertThat(s.over()).containsExactly(HOT);
        assertThat(s.update(loads(12, 800, 300)).resume()).containsExactly(HOT);
        assertThat(s.over()).isEmpty();
    }

    /** A held hot partition over its share counts at most share × resume ratio towards the global bound. */
    @Test
    void aPausedHotPartitionDoesNotHoldTheGlobalBound() {
        PartitionShares s = new PartitionShares(1_000, 64L << 20, 0.5, 50);
        PartitionShares.Change c = s.update(loads(2, 600, 400)); // share 500: the hot one is over
        assertThat(c.pause()).containsExactly(HOT);
        assertThat(c.effectiveRecords()).isEqualTo(250 + 400);
        assertThat(s.update(loads(2, 600, 0)).effectiveRecords())
                .as("cold drained: under the global resume mark")
                .isEqualTo(250);
    }

    @Test
    void aShareIsNeverLessThanOneFullBatch() {
        PartitionShares s = new PartitionShares(20_000, 64L << 20, 0.5, 1_000);
        // 100 partitions: 200 each by division, but a partition may always hold a full batch of 1,000
        assertThat(s.update(loads(100, 999, 999)).pause()).isEmpty();
        assertThat(s.update(loads(100, 1_000, 10)).pause()).containsExactly(HOT);
    }

    @Test
    void bytesCountToo() {
        PartitionShares s = new PartitionShares(20_000, 12_000_000, 0.5, 1_000);
        Map<TopicPartition, PartitionShares.Load> m = new HashMap<>(loads(12, 100, 100));
        m.put(HOT, new PartitionShares.Load(100, 1_000_001)); // 12 MB / 12
        assertThat(s.update(m).pause()).containsExactly(HOT);
    }

    @Test
    void revokedPartitionsAreForgotten() {
        PartitionShares s = new PartitionShares(20_000, 64L << 20, 0.5, 1_000);
        s.update(loads(2, 15_000, 0));
        assertThat(s.over()).containsExactly(HOT);
        assertThat(s.update(Map.of(new TopicPartition("t", 1), new PartitionShares.Load(0, 0)))
                        .isEmpty())
                .isTrue();
        assertThat(s.over()).isEmpty();
        assertThat(Set.copyOf(s.over())).isEmpty();
    }
}

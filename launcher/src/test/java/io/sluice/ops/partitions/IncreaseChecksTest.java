package io.sluice.ops.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.apache.kafka.common.ConsumerGroupState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class IncreaseChecksTest {
    @Test
    void refusesADecreaseAndASmallIncreaseWithoutForce() {
        assertThat(IncreaseChecks.size(12, 8, true).ok()).isFalse();
        assertThat(IncreaseChecks.size(12, 12, true).detail()).contains("is not an increase");
        IncreaseChecks.Verdict small = IncreaseChecks.size(12, 16, false);
        assertThat(small.ok()).isFalse();
        assertThat(small.detail())
                .contains("x1.33, under x1.5")
                .contains("--to 24")
                .contains("--force");
        assertThat(IncreaseChecks.size(12, 16, true).ok()).isTrue();
        assertThat(IncreaseChecks.size(12, 18, false).ok()).isTrue();
        assertThat(IncreaseChecks.size(12, 24, false).line())
                .isEqualTo("  ok   size                   12 -> 24 (x2.00)");
    }

    private static JsonObject status(boolean producer, long records, long unkeyed) {
        return new JsonObject()
                .put("producer", new JsonObject().put("enabled", producer))
                .put(
                        "hotKeys",
                        new JsonObject()
                                .put(
                                        "producer",
                                        new JsonObject()
                                                .put("records", records)
                                                .put("unkeyed", unkeyed)
                                                .put("spanSeconds", 10.0)));
    }

    @Test
    void theProducerMustKeyEveryRecord() {
        assertThat(IncreaseChecks.keyed(status(true, 5_000, 0), false).ok()).isTrue();
        IncreaseChecks.Verdict unkeyed = IncreaseChecks.keyed(status(true, 5_000, 3), true);
        assertThat(unkeyed.ok()).isFalse(); // --force does not excuse unkeyed records
        assertThat(unkeyed.detail()).startsWith("3 of 5000 records");
        assertThat(IncreaseChecks.keyed(status(false, 0, 0), false).ok()).isFalse();
        assertThat(IncreaseChecks.keyed(status(false, 0, 0), true).ok()).isTrue();
        assertThat(IncreaseChecks.keyed(status(true, 0, 0), false).detail()).contains("no records sent in the window");
    }

    @Test
    void aGrowingLagRefuses() {
        assertThat(IncreaseChecks.lag(List.of(1_000L, 1_500L, 800L, 1_200L, 900L, 1_100L), 1_000)
                        .ok())
                .isTrue();
        IncreaseChecks.Verdict growing =
                IncreaseChecks.lag(List.of(1_000L, 2_000L, 3_000L, 4_000L, 5_000L, 6_000L), 1_000);
        assertThat(growing.ok()).isFalse();
        assertThat(growing.detail()).contains("lag is growing (6 samples over 5 s: 1000 -> 6000)");
        // rising, but by less than the floor: noise
        assertThat(IncreaseChecks.lag(List.of(100L, 200L, 300L, 400L), 1_000).ok())
                .isTrue();
        assertThat(IncreaseChecks.lag(List.of(100L), 1_000).ok()).isFalse();
    }

    @Test
    void theGroupMustBeStableAndOwnEveryPartition() {
        assertThat(IncreaseChecks.group(new KafkaView.Group(ConsumerGroupState.STABLE, 2, 12), 12)
                        .ok())
                .isTrue();
        assertThat(IncreaseChecks.group(new KafkaView.Group(ConsumerGroupState.PREPARING_REBALANCE, 2, 12), 12)
                        .ok())
                .isFalse();
        assertThat(IncreaseChecks.group(new KafkaView.Group(ConsumerGroupState.STABLE, 2, 10), 12)
                        .detail())
                .isEqualTo("state Stable, 2 member(s), 10/12 partitions assigned");
        assertThat(IncreaseChecks.group(new KafkaView.Group(ConsumerGroupState.EMPTY, 0, 0), 12)
                        .ok())
                .isFalse();
    }

    @Test
    void theFollowTimesTheRebalanceAndTheLagPeak() {
        RebalanceFollow f = new RebalanceFollow(0, 24, 1_000, 500, 3_000);
        assertThat(f.sample(1_000, true, 12, 1_200)).isFalse(); // not seen the new partitions yet
        assertThat(f.sample(2_000, false, 12, 4_000)).isFalse(); // rebalancing
        assertThat(f.sample(3_000, true, 24, 9_000)).isFalse(); // rebalanced at +3 s, lag peaks
        assertThat(f.rebalanceMs()).isEqualTo(3_000);
        assertThat(f.sample(4_000, true, 24, 3_000)).isFalse();
        assertThat(f.sample(5_000, true, 24, 1_400)).isFalse(); // normal (≤ 1,500) from +5 s
        assertThat(f.sample(6_000, true, 24, 1_300)).isFalse();
        assertThat(f.sample(7_000, true, 24, 1_600)).isFalse(); // above normal: the settle starts again
        assertThat(f.backToNormalMs()).isEqualTo(-1);
        assertThat(f.sample(8_000, true, 24, 900)).isFalse();
        assertThat(f.sample(10_000, true, 24, 900)).isFalse();
        assertThat(f.sample(11_000, true, 24, 900)).isTrue(); // 3 s of normal lag
        assertThat(f.peakLag()).isEqualTo(9_000);
        assertThat(f.backToNormalMs()).isEqualTo(8_000);
        assertThat(f.summary("t", 12))
                .contains("rebalance          3.0 s")
                .contains("lag peak           9000 records at +3.0 s")
                .contains("back to normal     8.0 s after the change");
    }
}

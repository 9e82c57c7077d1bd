package io.sluice.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ScalingSignalTest {
    /** Feeds 60 one-second samples: lag from lag0 growing by g/s, delivering d/s. */
    private static void feed(ScalingSignal s, long t0, long lag0, double g, double d) {
        for (int i = 0; i <= 60; i++) {
            s.observe(t0 + i * 1_000L, lag0 + (long) (g * i), d * (t0 / 1000.0 + i));
        }
    }

    @Test
    void keepsTheMembersWhileKeepingUpWithoutAMeasuredCapacity() {
        ScalingSignal s = new ScalingSignal(60_000);
        feed(s, 0, 200, 0, 1_000);
        ScalingSignal.Recommendation r = s.recommend(2, 24, 12);
        assertThat(r.consumers()).isEqualTo(2);
        assertThat(r.deliveredPerSecond()).isCloseTo(1_000, within(1.0));
        assertThat(r.basis()).contains("keeping up");
    }

    @Test
    void aGrowingLagAsksForMoreConsumers() {
        ScalingSignal s = new ScalingSignal(60_000);
        // 12 of 24 partitions here, delivering 1,000/s while the lag grows 1,000/s from 5,000
        feed(s, 0, 5_000, 1_000, 1_000);
        ScalingSignal.Recommendation r = s.recommend(2, 24, 12);
        // saturated all window: κ = 1,000; λ = (1,000 + 1,000) · 2 = 4,000; backlog 65,000 · 2 / 300 = 433
        assertThat(r.capacityPerConsumer()).isCloseTo(1_000, within(1.0));
        assertThat(r.lagGrowthPerSecond()).isCloseTo(1_000, within(1.0));
        assertThat(r.consumers()).isEqualTo((int) Math.ceil((4_000 + 65_000 * 2 / 300.0) / 800));
        assertThat(r.consumers()).isEqualTo(6);
    }

    @Test
    void neverAboveThePartitions() {
        ScalingSignal s = new ScalingSignal(60_000);
        feed(s, 0, 50_000, 5_000, 100);
        assertThat(s.recommend(1, 4, 4).consumers()).isEqualTo(4);
    }

    @Test
    void scalesInOnceTheCapacityIsKnownAndTheLoadDrops() {
        ScalingSignal s = new ScalingSignal(60_000);
        feed(s, 0, 10_000, 0, 2_000); // saturated: κ = 2,000
        feed(s, 200_000, 0, 0, 300); // later: 300/s, no lag, this one owns all 24 of 4 members' partitions
        ScalingSignal.Recommendation r = s.recommend(4, 24, 24);
        assertThat(r.capacityPerConsumer()).isCloseTo(2_000, within(1.0));
        assertThat(r.consumers()).isEqualTo(1); // 300 / (0.8 · 2,000) → 1
    }

    @Test
    void withoutSamplesOrPartitionsItKeepsTheMembers() {
        ScalingSignal s = new ScalingSignal(60_000);
        assertThat(s.recommend(3, 12, 4).consumers()).isEqualTo(3);
        feed(s, 0, 0, 0, 10);
        assertThat(s.recommend(3, 12, 0).consumers()).isEqualTo(3);
        assertThat(s.recommend(30, 12, 0).consumers()).isEqualTo(12);
    }
}

package io.sluice.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BatchPolicyTest {
    private static final BatchPolicy ADAPTIVE = new BatchPolicy(BatchSettings.adaptive(10_000, 5_000_000, 100));
    private static final BatchPolicy FIXED = new BatchPolicy(BatchSettings.fixed(1_000, 5_000_000, 1_000));

    @Test
    void nothingWaitingNeverGoes() {
        assertThat(ADAPTIVE.closeReason(0, 512, 0, 1_000_000)).isNull();
    }

    @Test
    void adaptiveWaitsForTheLatencyTargetThenGoesWhateverTheFill() {
        assertThat(ADAPTIVE.closeReason(3, 2_000, 1_000, 1_099))
                .as("3 records, 99 ms old")
                .isNull();
        assertThat(ADAPTIVE.closeReason(3, 2_000, 1_000, 1_100)).isEqualTo("wait");
        assertThat(ADAPTIVE.dueAt(1_000)).isEqualTo(1_100);
    }

    @Test
    void aFullBatchGoesAtOnceOnEitherCeiling() {
        assertThat(ADAPTIVE.closeReason(10_000, 4_000_000, 1_000, 1_000)).isEqualTo("count");
        assertThat(ADAPTIVE.closeReason(4_000, 5_000_000, 1_000, 1_000)).isEqualTo("bytes");
    }

    @Test
    void theCeilingsBoundWhatOneBatchTakes() {
        assertThat(ADAPTIVE.fits(9_999, 4_000_000, 400)).isTrue();
        assertThat(ADAPTIVE.fits(10_000, 4_000_000, 400)).as("count ceiling").isFalse();
        assertThat(ADAPTIVE.fits(100, 4_999_800, 400)).as("byte ceiling").isFalse();
        assertThat(ADAPTIVE.tooLarge(4_999_600, 512)).isTrue();
        assertThat(ADAPTIVE.tooLarge(5_000_000 - 512, 512)).isFalse();
    }

    @Test
    void fixedLingersOnItsOwnClockAndOneLaneAtATime() {
        assertThat(FIXED.spansLanes()).isFalse();
        assertThat(ADAPTIVE.spansLanes()).isTrue();
        assertThat(FIXED.closeReason(999, 2_000, 0, 999)).isNull();
        assertThat(FIXED.closeReason(999, 2_000, 0, 1_000)).isEqualTo("linger");
        assertThat(FIXED.closeReason(1_000, 2_000, 0, 0)).isEqualTo("count");
    }

    @Test
    void dueRecordsSpreadOverFreeSlotsButNeverBelowATenthOfTheCeiling() {
        assertThat(ADAPTIVE.splitFloor()).isEqualTo(1_000);
        assertThat(ADAPTIVE.share(1_900, 64))
                .as("under two floors: one invocation")
                .isEqualTo(1_900);
        assertThat(ADAPTIVE.share(3_000, 64)).isEqualTo(1_000);
        assertThat(ADAPTIVE.share(3_000, 2)).as("two free slots").isEqualTo(1_500);
        assertThat(ADAPTIVE.share(50_000, 2)).as("the ceiling").isEqualTo(10_000);
        assertThat(ADAPTIVE.share(10, 0)).isEqualTo(10);
    }

    @Test
    void aSmallGroupWaitsOneMoreTargetWhileOthersAreInFlightSoGroupsMergeAgain() {
        assertThat(ADAPTIVE.closeReason(500, 200_000, 1_000, 1_100, 2))
                .as("500 < floor, 2 in flight")
                .isNull();
        assertThat(ADAPTIVE.dueAt(1_000, 500, 2)).isEqualTo(1_200);
        assertThat(ADAPTIVE.closeReason(500, 200_000, 1_000, 1_200, 2)).isEqualTo("wait");
        assertThat(ADAPTIVE.closeReason(500, 200_000, 1_000, 1_100, 0))
                .as("nothing to merge with")
                .isEqualTo("wait");
        assertThat(ADAPTIVE.closeReason(1_000, 400_000, 1_000, 1_100, 2))
                .as("the floor reached")
                .isEqualTo("wait");
        assertThat(FIXED.dueAt(0, 5, 3)).as("fixed: the linger only").isEqualTo(1_000);
    }
}

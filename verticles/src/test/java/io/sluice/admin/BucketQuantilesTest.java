package io.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BucketQuantilesTest {
    private static final double[] BOUNDS = {1, 2, 4, 8, 16};

    @Test
    void interpolatesInsideTheBucketThatHoldsTheRank() {
        // 100 records: 10 up to 1, 40 in (1, 2], 40 in (2, 4], 10 in (4, 8]
        double[] now = {10, 50, 90, 100, 100};

        assertThat(BucketQuantiles.quantile(BOUNDS, now, null, 100, 0, 0.5)).isEqualTo(2.0);
        assertThat(BucketQuantiles.quantile(BOUNDS, now, null, 100, 0, 0.7)).isCloseTo(3.0, within(1e-9));
        assertThat(BucketQuantiles.quantile(BOUNDS, now, null, 100, 0, 0.99)).isCloseTo(7.6, within(1e-9));
        assertThat(BucketQuantiles.quantile(BOUNDS, now, null, 100, 0, 0.05)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void countsOnlyTheRecordsBetweenTheTwoSnapshots() {
        double[] before = {100, 100, 100, 100, 100}; // an old burst of fast records
        double[] now = {100, 100, 100, 110, 200}; // since then: 10 in (4, 8], 90 in (8, 16]

        assertThat(BucketQuantiles.quantile(BOUNDS, now, before, 200, 100, 0.5))
                .isCloseTo(8 + 8 * 40 / 90.0, within(1e-9));
        assertThat(BucketQuantiles.quantile(BOUNDS, now, null, 200, 0, 0.5))
                .isEqualTo(1.0); // since start: the old ones
    }

    @Test
    void anEmptyWindowOrARankAboveTheLastBoundHasNoEstimate() {
        double[] now = {5, 5, 5, 5, 5};

        assertThat(BucketQuantiles.quantile(BOUNDS, now, now, 5, 5, 0.5)).isNull();
        assertThat(BucketQuantiles.quantile(BOUNDS, now, null, 10, 0, 0.99)).isNull(); // 5 of 10 beyond 16
        assertThat(BucketQuantiles.quantile(BOUNDS, now, null, 10, 0, 0.5)).isEqualTo(1.0);
    }
}

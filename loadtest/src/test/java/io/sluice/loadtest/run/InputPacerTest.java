package io.sluice.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InputPacerTest {

    @Test
    void eightyPercentOfTheEventsComeFromTwentyPercentOfTheTrucks() {
        SplittableRandom rnd = new SplittableRandom(1);
        int trucks = 5_000;
        int[] counts = new int[trucks];
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            counts[InputPacer.truck(rnd, trucks)]++;
        }
        long hot = 0;
        int max = 0;
        for (int t = 0; t < trucks; t++) {
            hot += t < trucks / 5 ? counts[t] : 0;
            max = Math.max(max, counts[t]);
        }
        assertThat(hot / (double) n).isCloseTo(0.8, within(0.005));
        assertThat(max / (double) n).as("the hottest single key").isLessThan(0.001);
    }

    @Test
    void truckIdsAreZeroPadded() {
        assertThat(InputPacer.truckId(0)).isEqualTo("T-00001");
        assertThat(InputPacer.truckId(4_999)).isEqualTo("T-05000");
        assertThat(InputPacer.sampleHotKey()).isEqualTo("400:T-00001");
    }

    @Test
    void aTracedInputRecordsTraceparentIsAValidSampledW3cHeaderWithFreshIds() {
        SplittableRandom rnd = new SplittableRandom(1);
        String a = InputPacer.traceparent(rnd);
        String b = InputPacer.traceparent(rnd);
        assertThat(a).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01").isNotEqualTo(b);
        assertThat(a.substring(3, 35)).isNotEqualTo("0".repeat(32));
        assertThat(a.substring(36, 52)).isNotEqualTo("0".repeat(16));
    }
}

package io.sluice.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParetoSamplerTest {

    private static final int SAMPLES = 200_000;

    private static int[] histogram(ParetoSampler sampler, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] counts = new int[sampler.items()];
        for (int i = 0; i < SAMPLES; i++) {
            counts[sampler.next(rnd)]++;
        }
        return counts;
    }

    private static double shareOfFirst(int[] counts, int n) {
        return (double) Arrays.stream(counts, 0, n).sum()
                / Arrays.stream(counts).sum();
    }

    /** Share of the samples held by the top {@code fraction} of items, ranked by observed count. */
    private static double shareOfTop(int[] counts, double fraction) {
        int[] sorted = counts.clone();
        Arrays.sort(sorted);
        int top = (int) Math.round(sorted.length * fraction);
        return (double) Arrays.stream(sorted, sorted.length - top, sorted.length)
                        .sum()
                / SAMPLES;
    }

    @Test
    void twentyPercentOfItemsGetEightyPercentOfSamples() {
        ParetoSampler sampler = new ParetoSampler(5000, 0.2, 0.8);

        int[] counts = histogram(sampler, 42);

        assertThat(sampler.hotItems()).isEqualTo(1000);
        assertThat(shareOfFirst(counts, sampler.hotItems())).isCloseTo(0.8, within(0.01));
        assertThat(shareOfTop(counts, 0.2)).isCloseTo(0.8, within(0.02));
    }

    @Test
    void skewRepeatsInsideTheHotSet() {
        int[] counts = histogram(new ParetoSampler(5000, 0.2, 0.8), 7);

        // Self-similar: the hottest 4% (20% of 20%) get 64% (80% of 80%).
        assertThat(shareOfFirst(counts, 200)).isCloseTo(0.64, within(0.01));
    }

    @Test
    void otherSharesAreHonoured() {
        int[] counts = histogram(new ParetoSampler(1000, 0.1, 0.9), 3);

        assertThat(shareOfFirst(counts, 100)).isCloseTo(0.9, within(0.01));
    }

    @Test
    void equalSharesGiveAUniformDistribution() {
        int[] counts = histogram(new ParetoSampler(10, 0.5, 0.5), 11);

        assertThat(Arrays.stream(counts).boxed()).allSatisfy(c -> assertThat(c).isBetween(19_000, 21_000));
    }

    @Test
    void indicesStayInRangeAndEveryItemCanBeDrawn() {
        ParetoSampler sampler = new ParetoSampler(50, 0.2, 0.8);

        int[] counts = histogram(sampler, 5);

        assertThat(counts).hasSize(50);
        assertThat(Arrays.stream(counts).min().getAsInt()).isPositive();
        assertThat(new ParetoSampler(1, 0.2, 0.8).next(new SplittableRandom(1))).isZero();
    }

    @Test
    void sameSeedSameSequence() {
        assertThat(histogram(new ParetoSampler(100, 0.2, 0.8), 99))
                .isEqualTo(histogram(new ParetoSampler(100, 0.2, 0.8), 99));
    }

    @Test
    void argumentsAreValidated() {
        assertThatThrownBy(() -> new ParetoSampler(0, 0.2, 0.8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParetoSampler(10, 0, 0.8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParetoSampler(10, 1, 0.8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParetoSampler(10, 0.2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParetoSampler(10, 0.5, 0.4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParetoSampler(10, Double.NaN, 0.8)).isInstanceOf(IllegalArgumentException.class);
    }
}

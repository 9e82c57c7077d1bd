package io.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class CounterHistoryTest {
    @Test
    void ratesAndDeltas() {
        CounterHistory h = new CounterHistory(10_000);
        assertThat(h.rate("x")).isZero();
        h.record(0, Map.of("x", 0.0));
        h.record(1000, Map.of("x", 100.0));
        h.record(1500, Map.of("x", 400.0));
        assertThat(h.rate("x")).isEqualTo(600.0);
        assertThat(h.delta("x", 600)).isEqualTo(300.0);
        assertThat(h.delta("x", 10_000)).isEqualTo(400.0);
        assertThat(h.latest("x")).isEqualTo(400.0);
        assertThat(h.rate("unknown")).isZero();
    }

    @Test
    void dropsHistoryOlderThanItKeeps() {
        CounterHistory h = new CounterHistory(1000);
        for (int t = 0; t <= 5000; t += 500) {
            h.record(t, Map.of("x", (double) t));
        }
        assertThat(h.spanMs()).isLessThanOrEqualTo(1500);
        assertThat(h.delta("x", 60_000)).isLessThanOrEqualTo(1500.0);
    }
}

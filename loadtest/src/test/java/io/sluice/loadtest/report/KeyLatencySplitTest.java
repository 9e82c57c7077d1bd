package io.sluice.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class KeyLatencySplitTest {

    private static BitSet range(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to);
        return b;
    }

    @Test
    void hotAndOtherEventsAreMeasuredApart() {
        // events 1..100; the even ones carry the hot key and take 2,000 ms, the odd ones 100 ms
        BitSet accepted = range(1, 101);
        BitSet hot = new BitSet();
        for (int n = 2; n <= 100; n += 2) {
            hot.set(n);
        }
        KeyLatencySplit s = KeyLatencySplit.compute(
                accepted, hot, new BitSet(), 1, n -> 1_000L * n, n -> 1_000L * n + (n % 2 == 0 ? 2_000 : 100));
        assertThat(s.hotEvents()).isEqualTo(50);
        assertThat(s.otherEvents()).isEqualTo(50);
        assertThat(s.hotShare()).isEqualTo(0.5);
        assertThat(s.hot().p99()).isCloseTo(2_000, within(2.0));
        assertThat(s.others().p99()).isCloseTo(100, within(1.0));
        assertThat(s.hot().count()).isEqualTo(50);
        assertThat(s.toString()).isNotEmpty();
    }

    @Test
    void theWarmUpCountsForTheShareButNotForTheLatency() {
        BitSet accepted = range(1, 11);
        BitSet hot = range(1, 4); // 3 of 10 are hot
        // events before 6 are the warm-up, with huge latencies that must not show
        KeyLatencySplit s =
                KeyLatencySplit.compute(accepted, hot, new BitSet(), 6, n -> 0L, n -> n < 6 ? 99_000L : 50L);
        assertThat(s.hotShare()).isEqualTo(0.3);
        assertThat(s.hot()).as("every hot event was in the warm-up").isNull();
        assertThat(s.others().max()).isCloseTo(50, within(0.5));
        assertThat(s.others().count()).isEqualTo(5);
        assertThat(s.hotJson("k", 0.3).getValue("p99Ms")).isNull();
    }

    @Test
    void eventsThatNeverArrivedAreCountedNotMeasuredAndExcludedOnesAreIgnored() {
        BitSet accepted = range(1, 11);
        BitSet hot = range(1, 3);
        BitSet poison = range(9, 11);
        BitSet arrived = range(1, 9);
        arrived.clear(2);
        arrived.clear(5);
        KeyLatencySplit s = KeyLatencySplit.compute(accepted, hot, poison, 1, n -> 0L, n -> arrived.get(n) ? 10L : -1L);
        assertThat(s.hotEvents() + s.otherEvents()).as("poison left out").isEqualTo(8);
        assertThat(s.hotNotArrived()).isEqualTo(1);
        assertThat(s.otherNotArrived()).isEqualTo(1);
        assertThat(s.hot().count()).isEqualTo(1);
        assertThat(s.others().count()).isEqualTo(5);
        assertThat(s.othersJson().getLong("notArrived")).isEqualTo(1L);
        assertThat(s.othersJson().getDouble("p99Ms")).isEqualTo(10.0);
    }
}

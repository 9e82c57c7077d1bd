package io.sluice.locallambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.locallambda.internal.EventIdSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SinkStoreTest {

    private final SinkStore store = new SinkStore();

    @Test
    void countsDuplicatesAndUniqueIds() {
        store.record(List.of(rec("a", "k", 1L, 1_000), rec("b", "k", 2L, 1_000)), 1_500);
        store.record(List.of(rec("a", "k", 1L, 1_000)), 2_000);

        assertThat(store.totalReceived()).isEqualTo(3);
        assertThat(store.uniqueCount()).isEqualTo(2);
        assertThat(store.duplicates()).isEqualTo(1);
        assertThat(store.contains("a")).isTrue();
        assertThat(store.contains("zzz")).isFalse();
        assertThat(store.firstArrivalMs("a")).isEqualTo(1_500);
        assertThat(store.missing(List.of("a", "b", "c"))).containsExactly("c");
        assertThat(store.orderViolations()).as("a duplicate is not a violation").isZero();
    }

    @Test
    void aNewIdWithALowerSeqThanSeenForItsKeyIsAViolation() {
        store.record(List.of(rec("e1", "301:T-1", 5L, 0), rec("e2", "301:T-2", 1L, 0)), 10);
        store.record(List.of(rec("e3", "301:T-1", 4L, 0)), 20); // violation: 4 < 5 on T-1
        store.record(List.of(rec("e4", "301:T-2", 2L, 0)), 30); // fine
        store.record(List.of(rec("e1", "301:T-1", 5L, 0)), 40); // duplicate, not a violation
        store.record(List.of(rec("e5", "301:T-1", 6L, 0), rec("e6", "301:T-1", null, 0)), 50); // no seq: not checked

        assertThat(store.orderViolations()).isEqualTo(1);
        assertThat(store.stats().keys()).isEqualTo(2);
    }

    @Test
    void statsHaveLatencyRateAndResetClearsAll() {
        long t0 = 1_732_900_000_000L;
        for (int i = 0; i < 100; i++) {
            store.record(List.of(rec("id-" + i, "k" + (i % 3), (long) i, t0 + i * 10L)), t0 + i * 10L + i);
        }

        SinkStats s = store.stats();
        assertThat(s.latencyMs().count()).isEqualTo(100);
        assertThat(s.latencyMs().min()).isZero();
        assertThat(s.latencyMs().max()).isEqualTo(99);
        assertThat(s.latencyMs().p50()).isBetween(48L, 51L);
        assertThat(s.perSecond()).isNotEmpty();
        assertThat(s.perSecond().stream().mapToLong(p -> p[1]).sum()).isEqualTo(100);
        assertThat(s.requests()).isEqualTo(100);
        assertThat(s.toJson().getJsonObject("latencyMs").getLong("p99")).isBetween(97L, 99L);

        store.reset();
        assertThat(store.stats().received()).isZero();
        assertThat(store.contains("id-1")).isFalse();
        assertThat(store.stats().latencyMs().count()).isZero();
    }

    @Test
    void eventIdSetGrowsAndStaysExact() {
        EventIdSet set = new EventIdSet(16);
        for (int i = 0; i < 300_000; i++) {
            assertThat(set.add("evt-" + i, 1_000L + i)).isTrue();
        }
        for (int i = 0; i < 300_000; i += 997) {
            assertThat(set.add("evt-" + i, 5L)).isFalse();
            assertThat(set.firstArrivalMs("evt-" + i)).isEqualTo(1_000L + i);
        }
        assertThat(set.size()).isEqualTo(300_000);
        assertThat(set.contains("evt-300000")).isFalse();
        assertThat(set.memoryBytes()).as("about 20 bytes a slot").isLessThanOrEqualTo(20L * (1 << 19));
    }

    @Test
    void aReservedEventIdSetDoesNotGrowWhileItsIdsArrive() {
        EventIdSet set = new EventIdSet(16);
        set.add("early", 1L);
        set.reserve(200_000);
        long reserved = set.memoryBytes();
        for (int i = 0; i < 199_999; i++) {
            assertThat(set.add("evt-" + i, 1_000L + i)).isTrue();
        }

        assertThat(set.memoryBytes()).as("no rehash after the reservation").isEqualTo(reserved);
        assertThat(set.size()).isEqualTo(200_000);
        assertThat(set.firstArrivalMs("early")).isEqualTo(1L);
        assertThat(set.firstArrivalMs("evt-199998")).isEqualTo(1_000L + 199_998);
        set.reserve(10); // never shrinks
        assertThat(set.memoryBytes()).isEqualTo(reserved);
        assertThat(set.add("one-more", 5L)).isTrue(); // a reservation is room, not a limit
        assertThat(set.contains("evt-0")).isTrue();
    }

    private static SinkRecord rec(String id, String key, Long seq, long ts) {
        return new SinkRecord(id, key, seq, ts);
    }
}

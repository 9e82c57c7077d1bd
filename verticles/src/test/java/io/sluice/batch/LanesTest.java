package io.sluice.batch;

import io.sluice.pipeline.Batch;
import io.sluice.pipeline.InRecord;
import io.sluice.pipeline.Ordering;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LanesTest {
    private static InRecord rec(int partition, long offset, String key, int valueBytes) {
        return new InRecord("t", partition, offset, 0, "CREATE_TIME",
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), new byte[valueBytes], List.of(), 1, 0);
    }

    @Test
    void closesOnCountFirst() {
        Lanes l = new Lanes(new BatchSettings(3, 1_000_000, 10_000), Ordering.PARTITION, 1, 10);
        for (int i = 0; i < 7; i++) {
            l.add(rec(0, i, "k", 10), 0);
        }
        List<Batch> ready = l.ready(0);
        assertThat(ready).hasSize(1);
        assertThat(ready.get(0).records()).hasSize(3);
        assertThat(ready.get(0).closeReason()).isEqualTo("count");
        assertThat(l.ready(0)).isEmpty(); // one in flight per partition
        l.done(ready.get(0));
        assertThat(l.ready(0)).singleElement().satisfies(b -> assertThat(b.records().get(0).offset()).isEqualTo(3));
    }

    @Test
    void closesOnLingerAndReportsTheDeadline() {
        Lanes l = new Lanes(new BatchSettings(500, 1_000_000, 1000), Ordering.PARTITION, 1, 10);
        l.add(rec(0, 0, "k", 10), 100);
        assertThat(l.ready(500)).isEmpty();
        assertThat(l.nextDeadline()).isEqualTo(1100);
        List<Batch> ready = l.ready(1100);
        assertThat(ready).singleElement().satisfies(b -> assertThat(b.closeReason()).isEqualTo("linger"));
        assertThat(l.nextDeadline()).isEqualTo(-1);
    }

    @Test
    void splitsByPayloadBytesAfterBase64Growth() {
        int max = 10_000;
        Lanes l = new Lanes(new BatchSettings(500, max, 0), Ordering.PARTITION, 1, 10);
        for (int i = 0; i < 20; i++) {
            l.add(rec(0, i, "k", 1000), 0); // ~1,340 payload bytes each after base64
        }
        List<Batch> all = new ArrayList<>();
        for (int round = 0; round < 20 && l.queuedRecords() > 0; round++) {
            List<Batch> r = l.ready(0);
            all.addAll(r);
            r.forEach(l::done);
        }
        assertThat(all).allSatisfy(b -> assertThat(b.payloadBytes()).isLessThanOrEqualTo(max));
        assertThat(all.stream().mapToInt(b -> b.records().size()).sum()).isEqualTo(20);
        assertThat(all.get(0).records().size()).isBetween(5, 7);
    }

    @Test
    void aRecordOverTheCapIsItsOwnTooLargeBatch() {
        Lanes l = new Lanes(new BatchSettings(500, 4096, 0), Ordering.PARTITION, 1, 10);
        l.add(rec(0, 0, "k", 10), 0);
        l.add(rec(0, 1, "k", 10_000), 0);
        Batch first = l.ready(0).get(0);
        assertThat(first.records()).extracting(InRecord::offset).containsExactly(0L);
        l.done(first);
        Batch second = l.ready(0).get(0);
        assertThat(second.closeReason()).isEqualTo("too-large");
        assertThat(second.records()).extracting(InRecord::offset).containsExactly(1L);
    }

    @Test
    void keyOrderingRunsLanesConcurrentlyAndKeepsEachKeyInOneLane() {
        Lanes l = new Lanes(new BatchSettings(1000, 1_000_000, 0), Ordering.KEY, 8, 100);
        Map<String, Integer> laneOfKey = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            String key = "300:T-" + (i % 40);
            InRecord r = rec(0, i, key, 10);
            laneOfKey.merge(key, l.laneOf(r), (a, b) -> {
                assertThat(a).isEqualTo(b);
                return a;
            });
            l.add(r, 0);
        }
        List<Batch> ready = l.ready(0);
        assertThat(ready.size()).isGreaterThan(4); // several lanes of one partition in flight at once
        for (Batch b : ready) {
            List<Long> offsets = b.records().stream().map(InRecord::offset).toList();
            assertThat(offsets).isSorted();
        }
    }

    @Test
    void globalConcurrencyLimitCapsInFlightBatches() {
        Lanes l = new Lanes(new BatchSettings(1, 1_000_000, 0), Ordering.PARTITION, 1, 2);
        for (int p = 0; p < 5; p++) {
            l.add(rec(p, 0, "k", 10), 0);
        }
        List<Batch> ready = l.ready(0);
        assertThat(ready).hasSize(2);
        assertThat(l.inFlightBatches()).isEqualTo(2);
        l.done(ready.get(0));
        assertThat(l.ready(0)).hasSize(1);
    }

    @Test
    void dropRemovesQueuedRecordsOfRevokedPartitionsAndRequeueRestoresOrder() {
        Lanes l = new Lanes(new BatchSettings(2, 1_000_000, 0), Ordering.PARTITION, 1, 10);
        for (int i = 0; i < 4; i++) {
            l.add(rec(0, i, "k", 10), 0);
            l.add(rec(1, i, "k", 10), 0);
        }
        List<Batch> ready = l.ready(0);
        assertThat(ready).hasSize(2);
        assertThat(l.drop(Set.of(new TopicPartition("t", 1)))).isEqualTo(2);
        assertThat(l.busy(Set.of(new TopicPartition("t", 1)))).isEqualTo(1);
        Batch p0 = ready.stream().filter(b -> b.partition() == 0).findFirst().orElseThrow();
        l.requeue(p0, 0);
        Batch again = l.ready(0).stream().filter(b -> b.partition() == 0).findFirst().orElseThrow();
        assertThat(again.records()).extracting(InRecord::offset).containsExactly(0L, 1L);
    }
}

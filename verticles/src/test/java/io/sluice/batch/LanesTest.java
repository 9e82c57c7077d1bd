package io.sluice.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.record.Batch;
import io.sluice.record.InRecord;
import io.sluice.record.Ordering;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LanesTest {
    private static InRecord rec(int partition, long offset, String key, int valueBytes) {
        return rec(partition, offset, key, valueBytes, 1);
    }

    private static InRecord rec(int partition, long offset, String key, int valueBytes, long epoch) {
        return new InRecord(
                "t",
                partition,
                offset,
                0,
                "CREATE_TIME",
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                new byte[valueBytes],
                List.of(),
                epoch,
                0);
    }

    @Test
    void closesOnCountFirst() {
        Lanes l = new Lanes(BatchSettings.fixed(3, 1_000_000, 10_000), Ordering.PARTITION, 1, 10);
        for (int i = 0; i < 7; i++) {
            l.add(rec(0, i, "k", 10), 0);
        }
        List<Batch> ready = l.ready(0);
        assertThat(ready).hasSize(1);
        assertThat(ready.get(0).records()).hasSize(3);
        assertThat(ready.get(0).closeReason()).isEqualTo("count");
        assertThat(l.ready(0)).isEmpty(); // one in flight per partition
        l.done(ready.get(0));
        assertThat(l.ready(0))
                .singleElement()
                .satisfies(b -> assertThat(b.records().get(0).offset()).isEqualTo(3));
    }

    @Test
    void closesOnLingerAndReportsTheDeadline() {
        Lanes l = new Lanes(BatchSettings.fixed(500, 1_000_000, 1000), Ordering.PARTITION, 1, 10);
        l.add(rec(0, 0, "k", 10), 100);
        assertThat(l.ready(500)).isEmpty();
        assertThat(l.nextDeadline()).isEqualTo(1100);
        List<Batch> ready = l.ready(1100);
        assertThat(ready)
                .singleElement()
                .satisfies(b -> assertThat(b.closeReason()).isEqualTo("linger"));
        assertThat(l.nextDeadline()).isEqualTo(-1);
    }

    @Test
    void splitsByPayloadBytesAfterBase64Growth() {
        int max = 10_000;
        Lanes l = new Lanes(BatchSettings.fixed(500, max, 0), Ordering.PARTITION, 1, 10);
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
        Lanes l = new Lanes(BatchSettings.fixed(500, 4096, 0), Ordering.PARTITION, 1, 10);
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
        Lanes l = new Lanes(BatchSettings.fixed(1000, 1_000_000, 0), Ordering.KEY, 8, 100);
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
        Lanes l = new Lanes(BatchSettings.fixed(1, 1_000_000, 0), Ordering.PARTITION, 1, 2);
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
        Lanes l = new Lanes(BatchSettings.fixed(2, 1_000_000, 0), Ordering.PARTITION, 1, 10);
        for (int i = 0; i < 4; i++) {
            l.add(rec(0, i, "k", 10), 0);
            l.add(rec(1, i, "k", 10), 0);
        }
        List<Batch> ready = l.ready(0);
        assertThat(ready).hasSize(2);
        assertThat(l.drop(Set.of(new TopicPartition("t", 1)))).isEqualTo(2);
        assertThat(l.busy(Set.of(new TopicPartition("t", 1)))).isEqualTo(1);
        Batch p0 = ready.stream()
                .filter(b -> b.slices().get(0).partition() == 0)
                .findFirst()
                .orElseThrow();
        l.requeue(p0, 0);
        Batch again = l.ready(0).stream()
                .filter(b -> b.slices().get(0).partition() == 0)
                .findFirst()
                .orElseThrow();
        assertThat(again.records()).extracting(InRecord::offset).containsExactly(0L, 1L);
    }

    // --- fairness (issue #14, defect 6) ---

    /** One key per lane of a key-ordered partition, found by probing (lane = murmur3(key) mod lanes). */
    private static String[] keyPerLane(Lanes l, int lanes) {
        String[] keys = new String[lanes];
        int found = 0;
        for (int i = 0; found < lanes; i++) {
            String k = "k" + i;
            int lane = l.laneOf(rec(0, 0, k, 1));
            if (keys[lane] == null) {
                keys[lane] = k;
                found++;
            }
        }
        return keys;
    }

    /**
     * 12 partitions x 8 lanes under 64 in flight: every lane receives a record every round, and the
     * in-flight batches complete after the next records have arrived (so a served lane is never empty
     * when it frees up). Every lane must be served within ceil(96 / 64) + 1 rounds of the last time.
     */
    @Test
    void everyLaneIsServedWithinABoundWhenReadyLanesOutnumberTheConcurrency() {
        assertEveryLaneServedWithinBound(false);
    }

    /** The same with {@link Lanes#flush()} (graceful stop) instead of {@link Lanes#ready(long)}. */
    @Test
    void flushServesEveryLaneWithinABoundToo() {
        assertEveryLaneServedWithinBound(true);
    }

    private static void assertEveryLaneServedWithinBound(boolean flush) {
        int partitions = 12;
        int lanesPerPartition = 8;
        int concurrency = 64;
        int laneTotal = partitions * lanesPerPartition;
        int bound = (laneTotal + concurrency - 1) / concurrency + 1;
        // flush ignores linger; for ready, linger 0 closes a batch as soon as a lane has a record
        Lanes l = new Lanes(
                BatchSettings.fixed(1000, 1_000_000, flush ? 60_000 : 0), Ordering.KEY, lanesPerPartition, concurrency);
        String[] keys = keyPerLane(l, lanesPerPartition);
        Map<Lanes.LaneKey, Integer> lastServed = new HashMap<>();
        Map<Lanes.LaneKey, Integer> longestWait = new HashMap<>();
        List<Batch> inFlight = new ArrayList<>();
        long now = 0;
        long offset = 0;
        int rounds = 60;
        for (int round = 1; round <= rounds; round++) {
            now += 10;
            for (int p = 0; p < partitions; p++) {
                for (String k : keys) {
                    l.add(rec(p, offset++, k, 10), now);
                }
            }
            inFlight.forEach(l::done);
            inFlight.clear();
            List<Batch> sent = flush ? l.flush() : l.ready(now);
            assertThat(sent).hasSize(concurrency);
            for (Batch b : sent) {
                Lanes.LaneKey k = new Lanes.LaneKey(
                        new TopicPartition(
                                b.slices().get(0).topic(), b.slices().get(0).partition()),
                        b.slices().get(0).lane());
                int waited = round - lastServed.getOrDefault(k, 0);
                longestWait.merge(k, waited, Math::max);
                lastServed.put(k, round);
            }
            inFlight.addAll(sent);
        }
        List<Lanes.LaneKey> neverServed = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            for (int lane = 0; lane < lanesPerPartition; lane++) {
                Lanes.LaneKey k = new Lanes.LaneKey(new TopicPartition("t", p), lane);
                if (!lastServed.containsKey(k)) {
                    neverServed.add(k);
                }
            }
        }
        assertThat(neverServed).as("lanes never served in %d rounds", rounds).isEmpty();
        for (int p = 0; p < partitions; p++) {
            for (int lane = 0; lane < lanesPerPartition; lane++) {
                Lanes.LaneKey k = new Lanes.LaneKey(new TopicPartition("t", p), lane);
                int sinceLast = rounds + 1 - lastServed.get(k);
                assertThat(Math.max(longestWait.get(k), sinceLast))
                        .as("rounds lane %s waited at most", k)
                        .isLessThanOrEqualTo(bound);
            }
        }
    }

    /** Batches that could be sent but for the in-flight limit wait for a completion, not for a timer. */
    @Test
    void noLingerDeadlineWhileAtTheConcurrencyLimit() {
        Lanes l = new Lanes(BatchSettings.fixed(1000, 1_000_000, 100), Ordering.PARTITION, 1, 1);
        l.add(rec(0, 0, "k", 10), 0);
        l.add(rec(1, 0, "k", 10), 0);
        List<Batch> sent = l.ready(100);
        assertThat(sent).hasSize(1);
        // partition 1 is past its linger deadline but cannot go: a timer for it would fire at once, again and again
        assertThat(l.nextDeadline()).isEqualTo(-1);
        l.done(sent.get(0));
        assertThat(l.nextDeadline()).isEqualTo(100);
        assertThat(l.ready(100))
                .singleElement()
                .satisfies(b -> assertThat(b.slices().get(0).partition()).isEqualTo(1));
    }

    // --- epochs (issue #14, defect 7) ---

    private static void assertNoBatchMixesEpochs(List<Batch> batches) {
        for (Batch b : batches) {
            assertThat(b.records())
                    .as("epochs of batch %s", b.range())
                    .extracting(InRecord::epoch)
                    .containsOnly(b.records().get(0).epoch());
        }
    }

    private static List<Batch> drain(Lanes l, long now) {
        List<Batch> all = new ArrayList<>();
        for (int i = 0; i < 100 && l.queuedRecords() > 0; i++) {
            List<Batch> r = l.ready(now);
            all.addAll(r);
            r.forEach(l::done);
        }
        return all;
    }

    /**
     * The consumer's {@code onLost} path: a batch of epoch 1 is in flight, the partition is lost (revoke
     * with timeout 0 drops the queue), re-assigned under epoch 2, its records re-read; then the epoch-1
     * batch fails its hand-off to dispatch and is requeued. It must not go out again, nor share a batch
     * with epoch 2.
     */
    @Test
    void aStaleBatchRequeuedAfterANewerAssignmentIsDroppedNotMixed() {
        Lanes l = new Lanes(BatchSettings.fixed(10, 1_000_000, 0), Ordering.PARTITION, 1, 10);
        TopicPartition tp = new TopicPartition("t", 0);
        for (int i = 0; i < 4; i++) {
            l.add(rec(0, i, "k", 10, 1), 0);
        }
        Batch stale = l.ready(0).get(0);
        assertThat(l.drop(Set.of(tp))).isZero();
        for (int i = 0; i < 6; i++) {
            l.add(rec(0, i, "k", 10, 2), 0);
        }
        int droppedByRequeue = l.requeue(stale, 0);
        List<Batch> out = drain(l, 0);
        assertNoBatchMixesEpochs(out);
        assertThat(out)
                .flatExtracting(Batch::records)
                .extracting(InRecord::epoch)
                .containsOnly(2L);
        assertThat(out)
                .flatExtracting(Batch::records)
                .extracting(InRecord::offset)
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(droppedByRequeue).as("stale records dropped by requeue").isEqualTo(4);
        assertThat(l.staleDropped()).isEqualTo(4);
        assertThat(l.inFlightBatches()).isZero();
        assertThat(l.busy(Set.of(tp))).isZero();
    }

    /** Without a revoke in between (no drop): records of a newer epoch replace the queued older ones. */
    @Test
    void aNewerEpochDropsQueuedRecordsOfTheOlderOne() {
        Lanes l = new Lanes(BatchSettings.fixed(10, 1_000_000, 1000), Ordering.KEY, 4, 10);
        for (int i = 0; i < 8; i++) {
            l.add(rec(0, i, "k" + i, 10, 1), 0);
            l.add(rec(1, i, "k" + i, 10, 1), 0);
        }
        for (int i = 0; i < 3; i++) {
            l.add(rec(0, i, "k" + i, 10, 2), 0);
        }
        assertThat(l.staleDropped()).isEqualTo(8);
        assertThat(l.queuedRecords()).isEqualTo(8 + 3);
        List<Batch> out = drain(l, 1000);
        assertNoBatchMixesEpochs(out);
        assertThat(out)
                .filteredOn(b -> b.slices().get(0).partition() == 0)
                .flatExtracting(Batch::records)
                .extracting(InRecord::epoch)
                .containsOnly(2L);
        assertThat(out)
                .filteredOn(b -> b.slices().get(0).partition() == 1)
                .flatExtracting(Batch::records)
                .hasSize(8);
    }

    /** A record of an older epoch arriving after a newer one (a late chunk) is dropped on add. */
    @Test
    void aRecordOfAnOlderEpochThanTheNewestSeenIsDroppedOnAdd() {
        Lanes l = new Lanes(BatchSettings.fixed(10, 1_000_000, 0), Ordering.PARTITION, 1, 10);
        l.add(rec(0, 5, "k", 10, 3), 0);
        l.add(rec(0, 4, "k", 10, 2), 0);
        l.add(rec(0, 6, "k", 10, 3), 0);
        List<Batch> out = drain(l, 0);
        assertThat(out)
                .flatExtracting(Batch::records)
                .extracting(InRecord::offset)
                .containsExactly(5L, 6L);
        assertThat(l.staleDropped()).isEqualTo(1);
    }

    /**
     * onLost with no re-assignment yet: the in-flight batch of the revoked partition fails its hand-off
     * and is requeued. The partition is not ours any more; its records must not be dispatched again
     * (the next owner re-reads them from the committed offset), and its lane must not stay busy.
     */
    @Test
    void aBatchOfARevokedPartitionRequeuedAfterTheRevokeIsDropped() {
        Lanes l = new Lanes(BatchSettings.fixed(10, 1_000_000, 0), Ordering.PARTITION, 1, 10);
        TopicPartition tp = new TopicPartition("t", 0);
        l.add(rec(0, 0, "k", 10, 1), 0);
        l.add(rec(0, 1, "k", 10, 1), 0);
        Batch inFlight = l.ready(0).get(0);
        l.drop(Set.of(tp));
        int droppedByRequeue = l.requeue(inFlight, 0);
        assertThat(l.ready(0)).as("batches sent again for a revoked partition").isEmpty();
        assertThat(droppedByRequeue).isEqualTo(2);
        assertThat(l.busy(Set.of(tp))).isZero();
        assertThat(l.inFlightBatches()).isZero();
        assertThat(l.staleDropped()).isEqualTo(2);
        // a later assignment (higher epoch) of the same partition is batched as usual
        l.add(rec(0, 0, "k", 10, 2), 0);
        assertThat(l.ready(0))
                .singleElement()
                .satisfies(
                        b -> assertThat(b.records()).extracting(InRecord::epoch).containsExactly(2L));
    }

    // --- adaptive mode (issue #15) ---

    private static Lanes adaptive(int maxRecords, long maxWaitMs, Ordering ordering, int lanes, int slots) {
        return new Lanes(BatchSettings.adaptive(maxRecords, 5_000_000, maxWaitMs), ordering, lanes, slots);
    }

    @Test
    void adaptiveTakesEveryFreeLaneOfEveryPartitionInOneBatchOnceTheOldestHasWaited() {
        Lanes l = adaptive(10_000, 100, Ordering.PARTITION, 1, 4);
        for (int p = 0; p < 6; p++) {
            l.add(rec(p, 0, "k" + p, 10), 1_000 + p);
        }
        assertThat(l.ready(1_099)).as("the oldest has waited 99 ms").isEmpty();
        assertThat(l.nextDeadline()).isEqualTo(1_100);
        List<Batch> out = l.ready(1_100);
        assertThat(out).singleElement().satisfies(b -> {
            assertThat(b.closeReason()).isEqualTo("wait");
            assertThat(b.slices()).hasSize(6);
            assertThat(b.partitionCount()).isEqualTo(6);
            assertThat(b.waitedMs()).isEqualTo(100);
        });
        assertThat(l.inFlightBatches()).isEqualTo(1);
    }

    @Test
    void aBusyLaneIsNeverInTwoBatchesItsRecordsWaitAndGoTogetherWhenItFrees() {
        Lanes l = adaptive(10_000, 10, Ordering.PARTITION, 1, 8);
        l.add(rec(0, 0, "k", 10), 0);
        Batch first = l.ready(10).get(0);
        for (int i = 1; i <= 50; i++) {
            l.add(rec(0, i, "k", 10), 10 + i);
            l.add(rec(1, i, "j", 10), 10 + i);
        }
        List<Batch> meanwhile = l.ready(200);
        assertThat(meanwhile)
                .singleElement()
                .satisfies(b -> assertThat(b.slices())
                        .extracting(Batch.Slice::partition)
                        .as("partition 0 is in flight: only partition 1 goes")
                        .containsExactly(1));
        assertThat(l.ready(10_000)).isEmpty();
        l.done(first);
        Batch next = l.ready(300).get(0);
        assertThat(next.slices()).singleElement().satisfies(s -> {
            assertThat(s.partition()).isZero();
            assertThat(s.records())
                    .extracting(InRecord::offset)
                    .as("the whole backlog, in order")
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 50)
                            .boxed()
                            .toList());
        });
    }

    @Test
    void aBacklogGrowsTheNextBatchUpToTheCeilingAndTheRestFollowsAtOnce() {
        Lanes l = adaptive(1_000, 50, Ordering.KEY, 8, 4);
        for (int i = 0; i < 2_500; i++) {
            l.add(rec(0, i, "truck-" + (i % 40), 10), 0);
        }
        List<Batch> out = l.ready(0);
        assertThat(out).as("2,500 queued: full batches go without waiting").isNotEmpty();
        assertThat(out).allSatisfy(b -> {
            assertThat(b.closeReason()).isEqualTo("count");
            assertThat(b.records()).hasSizeBetween(100, 1_000); // the split floor (a tenth) and the ceiling
        });
        Set<Lanes.LaneKey> seen = new java.util.HashSet<>();
        for (Batch b : out) {
            for (Batch.Slice s : b.slices()) {
                assertThat(seen.add(new Lanes.LaneKey(new TopicPartition(s.topic(), s.partition()), s.lane())))
                        .as("lane %s in one batch only", s.lane())
                        .isTrue();
            }
        }
        int taken = out.stream().mapToInt(b -> b.records().size()).sum();
        assertThat(taken + l.queuedRecords()).isEqualTo(2_500);
        assertThat(l.ready(0))
                .as("the remainder waits for its target: every lane with records left is busy or "
                        + "the rest is below the ceiling")
                .allSatisfy(b -> assertThat(b.records()).isNotEmpty());
    }

    @Test
    void adaptiveKeepsEachKeysOrderAcrossBatchesAndPartialDone() {
        Lanes l = adaptive(7, 0, Ordering.KEY, 4, 3);
        Map<String, Long> last = new HashMap<>();
        long offset = 0;
        List<Batch> inFlight = new ArrayList<>();
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < 5; i++) {
                l.add(rec(round % 3, offset++, "key-" + (offset % 11), 10), round);
            }
            inFlight.addAll(l.ready(round));
            // complete the oldest batch slice by slice
            if (!inFlight.isEmpty() && round % 2 == 0) {
                Batch b = inFlight.remove(0);
                for (int s = b.slices().size() - 1; s >= 0; s--) {
                    for (InRecord r : b.slices().get(s).records()) {
                        String k = r.partition() + "/" + r.keyString();
                        Long prev = last.put(k, r.offset());
                        assertThat(prev == null || prev < r.offset())
                                .as("key %s order", k)
                                .isTrue();
                    }
                    l.done(b, List.of(s));
                }
            }
        }
        assertThat(l.inFlightBatches()).isEqualTo(inFlight.size());
    }

    @Test
    void dueRecordsSpreadOverFreeSlotsInInvocationsOfAtLeastTheSplitFloor() {
        Lanes l = adaptive(10_000, 100, Ordering.PARTITION, 1, 64);
        for (int p = 0; p < 12; p++) {
            for (int i = 0; i < 300; i++) {
                l.add(rec(p, i, "k" + i, 10), 0);
            }
        }
        List<Batch> out = l.ready(100);
        assertThat(out)
                .as("3,600 due records, 64 free slots, floor 1,000: three invocations")
                .hasSize(3);
        assertThat(out).allSatisfy(b -> assertThat(b.records()).hasSizeGreaterThanOrEqualTo(1_000));
        assertThat(out.stream().mapToInt(b -> b.records().size()).sum()).isEqualTo(3_600);
        assertThat(out.stream().mapToInt(Batch::partitionCount).sum())
                .as("each partition in one of them")
                .isEqualTo(12);
    }
}

package io.sluice.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.bus.Addresses;
import io.sluice.config.Cfg;
import io.sluice.pipeline.Pipeline;
import io.sluice.pipeline.PipelineSettings;
import io.sluice.record.Batch;
import io.sluice.record.BatchOutcome;
import io.sluice.record.InRecord;
import io.sluice.record.RecordChunk;
import io.sluice.record.RevokeRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link BatchingVerticle} deployed alone: the test plays the consumer (sends {@link RecordChunk}s, listens
 * for completions, sends revocations) and dispatch (a local consumer that replies a {@link BatchOutcome},
 * fails the hand-off, or holds the reply). Runs in seconds, no broker and no function.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchingVerticleTest {
    private static final String NAME = "bt";
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private Vertx vertx;
    private FakeDispatch dispatch;
    private BatchingVerticle batching;
    private final List<BatchOutcome> completed = new CopyOnWriteArrayList<>();

    /** What the fake dispatch does with a batch. */
    private enum Action {
        REPLY,
        FAIL,
        HOLD,
        REPLY_LATER
    }

    /**
     * Stand-in for dispatch. Counts batches outstanding (received, not yet answered) per lane and in all,
     * and notes any second batch of a lane that arrives while one is outstanding.
     */
    private final class FakeDispatch {
        final List<Batch> received = new CopyOnWriteArrayList<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        private final Map<Lanes.LaneKey, Integer> outstanding = new HashMap<>();
        private final List<Message<Batch>> held = new ArrayList<>();
        private int total;
        private int maxTotal;
        private volatile Function<Batch, Action> policy = b -> Action.REPLY;

        synchronized void onBatch(Message<Batch> m) {
            Batch b = m.body();
            received.add(b);
            int n = outstanding.merge(key(b), 1, Integer::sum);
            if (n > 1) {
                violations.add("second batch of lane " + key(b) + " while one is outstanding: " + b.range());
            }
            total++;
            maxTotal = Math.max(maxTotal, total);
            switch (policy.apply(b)) {
                case REPLY -> reply(m);
                case FAIL -> {
                    answered(b);
                    m.fail(503, "dispatch stopping");
                }
                case HOLD -> held.add(m);
                case REPLY_LATER ->
                    vertx.setTimer(1 + ThreadLocalRandom.current().nextInt(15), id -> reply(m));
            }
        }

        private synchronized void reply(Message<Batch> m) {
            Batch b = m.body();
            answered(b);
            m.reply(BatchOutcome.whole(b, b.records().size(), 0, 1));
        }

        private void answered(Batch b) {
            outstanding.merge(key(b), -1, Integer::sum);
            total--;
        }

        synchronized int held() {
            return held.size();
        }

        synchronized int maxTotal() {
            return maxTotal;
        }

        synchronized void resetMaxTotal() {
            maxTotal = total;
        }

        /** Answers the held batches that match, in the order they arrived. */
        synchronized void release(Function<Batch, Boolean> which, boolean fail) {
            List<Message<Batch>> go =
                    held.stream().filter(m -> which.apply(m.body())).toList();
            held.removeAll(go);
            for (Message<Batch> m : go) {
                if (fail) {
                    answered(m.body());
                    m.fail(503, "dispatch stopping");
                } else {
                    reply(m);
                }
            }
        }

        List<Batch> receivedOf(TopicPartition tp) {
            return received.stream()
                    .filter(b -> b.slices().get(0).partition() == tp.partition())
                    .toList();
        }
    }

    private static Lanes.LaneKey key(Batch b) {
        return new Lanes.LaneKey(
                new TopicPartition(b.slices().get(0).topic(), b.slices().get(0).partition()),
                b.slices().get(0).lane());
    }

    @BeforeEach
    void setUp(Vertx vertx) throws Exception {
        this.vertx = vertx;
        Pipeline.registerCodecs(vertx);
        dispatch = new FakeDispatch();
        get(vertx.eventBus()
                .<Batch>localConsumer(Addresses.dispatch(NAME), dispatch::onBatch)
                .completion());
        get(vertx.eventBus()
                .<BatchOutcome>localConsumer(Addresses.completed(NAME), m -> completed.add(m.body()))
                .completion());
    }

    /** Pipeline settings as the ITs' harness builds them, with JSON overrides. */
    private static PipelineSettings settings(JsonObject overrides) {
        JsonObject json = new JsonObject()
                .put("name", NAME)
                .put("topics", List.of("t"))
                .put("groupId", "g-" + NAME)
                .put(
                        "batch",
                        new JsonObject()
                                .put("mode", "fixed")
                                .put("maxRecords", 500)
                                .put("lingerMs", 50))
                .put(
                        "retry",
                        new JsonObject()
                                .put("maxAttempts", 5)
                                .put("baseDelayMs", 20)
                                .put("maxDelayMs", 500))
                .put("lambda", new JsonObject().put("functionName", "fn").put("endpointOverride", "http://127.0.0.1:9"))
                .put("dlqTopic", "t-dlq")
                .put("commitIntervalMs", 500);
        json.mergeIn(overrides, true);
        return PipelineSettings.from(new Cfg(json, "pipeline"));
    }

    private static JsonObject batch(int maxRecords, long lingerMs) {
        return new JsonObject()
                .put(
                        "batch",
                        new JsonObject()
                                .put("mode", "fixed")
                                .put("maxRecords", maxRecords)
                                .put("lingerMs", lingerMs));
    }

    private void deploy(PipelineSettings s) throws Exception {
        batching = new BatchingVerticle(s.batching());
        get(vertx.deployVerticle(batching));
    }

    private static InRecord rec(TopicPartition tp, long offset, String key, long epoch) {
        return new InRecord(
                tp.topic(),
                tp.partition(),
                offset,
                0,
                "CREATE_TIME",
                key.getBytes(StandardCharsets.UTF_8),
                new byte[10],
                List.of(),
                epoch,
                0);
    }

    private static List<InRecord> recs(TopicPartition tp, long from, long to, long epoch) {
        List<InRecord> out = new ArrayList<>();
        for (long o = from; o < to; o++) {
            out.add(rec(tp, o, "k", epoch));
        }
        return out;
    }

    private void send(List<InRecord> records) {
        vertx.eventBus().send(Addresses.batchRecords(NAME), new RecordChunk(records));
    }

    private CompletableFuture<Message<Object>> revoke(Set<TopicPartition> tps, long timeoutMs) {
        return vertx.eventBus()
                .request(
                        Addresses.batchRevoke(NAME),
                        new RevokeRequest(tps, timeoutMs),
                        new DeliveryOptions().setSendTimeout(timeoutMs + 10_000))
                .toCompletionStage()
                .toCompletableFuture();
    }

    private static List<Long> offsets(Batch b) {
        return b.records().stream().map(InRecord::offset).toList();
    }

    private int completedRecords() {
        return completed.stream().mapToInt(o -> o.batch().records().size()).sum();
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void lingerClosesABatchAndItsOutcomeReachesTheConsumer() throws Exception {
        deploy(settings(batch(500, 300)));
        long sentAt = System.nanoTime();
        send(recs(P0, 0, 3, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatch.received.size() == 1);
        long waitedMs = (System.nanoTime() - sentAt) / 1_000_000;
        Batch b = dispatch.received.get(0);
        assertThat(b.closeReason()).isEqualTo("linger");
        assertThat(offsets(b)).containsExactly(0L, 1L, 2L);
        assertThat(waitedMs).as("ms from the chunk to the batch").isGreaterThanOrEqualTo(300);
        await().atMost(Duration.ofSeconds(10)).until(() -> completed.size() == 1);
        assertThat(completed.get(0).batch().id()).isEqualTo(b.id());
        assertThat(completed.get(0).delivered()).isEqualTo(3);
    }

    @Test
    void theCountCapClosesBatchesLongBeforeTheLinger() throws Exception {
        deploy(settings(batch(5, 20_000)));
        send(recs(P0, 0, 12, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatch.received.size() == 2);
        assertThat(dispatch.received).extracting(Batch::closeReason).containsExactly("count", "count");
        assertThat(offsets(dispatch.received.get(0))).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(offsets(dispatch.received.get(1))).containsExactly(5L, 6L, 7L, 8L, 9L);
        // the two left over wait for their linger (20 s), not for the test
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> dispatch.received.size() == 2);
    }

    @Test
    void neverTwoBatchesOfOneLaneOutstandingAndEachKeyInOrder() throws Exception {
        deploy(settings(batch(3, 0).put("ordering", "key").put("lanes", 4)));
        dispatch.policy = b -> Action.REPLY_LATER;
        int perPartition = 300;
        for (int p = 0; p < 4; p++) {
            TopicPartition tp = new TopicPartition("t", p);
            for (int chunk = 0; chunk < perPartition; chunk += 30) {
                List<InRecord> rs = new ArrayList<>();
                for (int o = chunk; o < chunk + 30; o++) {
                    rs.add(rec(tp, o, "key-" + (o % 16), 1));
                }
                send(rs);
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> completedRecords() == 4 * perPartition);
        assertThat(dispatch.violations).isEmpty();
        assertThat(dispatch.maxTotal()).as("batches outstanding at once").isGreaterThan(1);
        Map<String, Long> lastOffset = new HashMap<>();
        for (Batch b : dispatch.received) {
            for (InRecord r : b.records()) {
                String k = r.partition() + "/" + r.keyString();
                Long before = lastOffset.put(k, r.offset());
                assertThat(before == null || before < r.offset())
                        .as("order of key %s at %s", k, r.offset())
                        .isTrue();
            }
        }
        assertThat(dispatch.received).hasSizeGreaterThanOrEqualTo(4 * perPartition / 3);
    }

    @Test
    void aFailedHandOffIsRequeuedAndSentAgainInOrder() throws Exception {
        deploy(settings(batch(3, 0)));
        int[] failures = {2};
        dispatch.policy = b -> {
            synchronized (failures) {
                return failures[0]-- > 0 ? Action.FAIL : Action.REPLY;
            }
        };
        send(recs(P0, 0, 7, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> completedRecords() == 7);
        assertThat(dispatch.violations).isEmpty();
        List<List<Long>> sent =
                dispatch.received.stream().map(BatchingVerticleTest::offsets).toList();
        assertThat(sent.get(0)).containsExactly(0L, 1L, 2L);
        assertThat(sent.get(1)).containsExactly(0L, 1L, 2L);
        assertThat(completed)
                .flatExtracting(o -> o.batch().records())
                .extracting(InRecord::offset)
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void revokeAnswersOnceTheRevokedPartitionsInFlightBatchesAreDone() throws Exception {
        deploy(settings(batch(2, 0)));
        dispatch.policy = b -> Action.HOLD;
        send(recs(P0, 0, 5, 1));
        send(recs(P1, 0, 2, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatch.held() == 2);
        CompletableFuture<Message<Object>> answer = revoke(Set.of(P0), 10_000);
        dispatch.release(
                b -> b.slices().get(0).partition() == 1, false); // another partition's batch is no reason to answer
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !answer.isDone());
        dispatch.release(b -> b.slices().get(0).partition() == 0, false);
        Message<Object> reply = answer.get(5, TimeUnit.SECONDS);
        assertThat(reply.body()).as("queued records dropped").isEqualTo(3);
        // the dropped records of P0 are not sent later: a batch of P1 sent after the answer arrives alone
        dispatch.policy = b -> Action.REPLY;
        send(recs(P1, 2, 4, 1));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> dispatch.receivedOf(P1).size() == 2);
        assertThat(dispatch.receivedOf(P0)).hasSize(1);
        assertThat(completed)
                .extracting(o -> o.batch().slices().get(0).partition())
                .contains(0, 1);
    }

    @Test
    void revokeAnswersAfterItsTimeoutWhenABatchIsNotDone() throws Exception {
        deploy(settings(batch(10, 0)));
        dispatch.policy = b -> Action.HOLD;
        send(recs(P0, 0, 3, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatch.held() == 1);
        long askedAt = System.nanoTime();
        revoke(Set.of(P0), 400).get(5, TimeUnit.SECONDS);
        assertThat((System.nanoTime() - askedAt) / 1_000_000)
                .as("ms to the answer")
                .isGreaterThanOrEqualTo(400);
        assertThat(dispatch.held()).isEqualTo(1);
        dispatch.release(b -> true, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> completed.size() == 1); // the consumer decides it is stale
    }

    @Test
    void theConcurrencyLimitIsRespectedAndFollowsRuntimeChanges() throws Exception {
        deploy(settings(batch(10, 0).put("lambda", new JsonObject().put("maxConcurrency", 3))));
        assertThat(batching.maxConcurrency()).isEqualTo(3);
        dispatch.policy = b -> Action.HOLD;
        for (int p = 0; p < 10; p++) {
            send(recs(new TopicPartition("t", p), 0, 1, 1));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatch.held() == 3);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> dispatch.held() == 3);
        assertThat(dispatch.maxTotal()).isEqualTo(3);
        batching.maxConcurrency(5); // raising it sends at once
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatch.held() == 5);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> dispatch.held() == 5);
        dispatch.policy = b -> Action.REPLY_LATER;
        dispatch.release(b -> true, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> completed.size() == 10);
        assertThat(dispatch.received).hasSize(10);
        assertThat(dispatch.maxTotal()).as("batches outstanding at once").isEqualTo(5);
        assertThat(dispatch.violations).isEmpty();
    }

    @Test
    void afterLoweringTheLimitNoNewBatchGoesOutWhileTheCountIsOverIt() throws Exception {
        deploy(settings(batch(10, 0).put("lambda", new JsonObject().put("maxConcurrency", 4))));
        dispatch.policy = b -> Action.HOLD;
        for (int p = 0; p < 8; p++) {
            send(recs(new TopicPartition("t", p), 0, 1, 1));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatch.held() == 4);
        batching.maxConcurrency(1);
        // one by one: each answer brings the in-flight count down, but only under 1 does a new batch go
        for (int done = 1; done <= 3; done++) {
            int sent = dispatch.received.size();
            Batch first = dispatch.received.get(done - 1);
            dispatch.release(b -> b.id() == first.id(), false);
            int expectedCompleted = done;
            await().atMost(Duration.ofSeconds(10)).until(() -> completed.size() == expectedCompleted);
            await().during(Duration.ofMillis(200))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> dispatch.received.size() == sent);
        }
        dispatch.release(b -> true, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatch.received.size() == 5);
        assertThat(dispatch.held()).isEqualTo(1);
    }

    /** At the in-flight limit, lanes with records take turns (issue #14, defect 6), even while the first keeps records. */
    @Test
    void lanesTakeTurnsAtTheConcurrencyLimit() throws Exception {
        deploy(settings(batch(1, 0).put("lambda", new JsonObject().put("maxConcurrency", 1))));
        List<InRecord> both = new ArrayList<>(recs(P0, 0, 10, 1));
        both.addAll(recs(P1, 0, 10, 1));
        send(both);
        await().atMost(Duration.ofSeconds(10)).until(() -> completed.size() == 20);
        assertThat(dispatch.received.subList(0, 6))
                .extracting(b -> b.slices().get(0).partition())
                .containsExactly(0, 1, 0, 1, 0, 1);
        assertThat(dispatch.receivedOf(P1))
                .extracting(b -> b.records().get(0).offset())
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void aBatchSettingsChangeAppliesToRecordsAlreadyQueued() throws Exception {
        deploy(settings(batch(100, 20_000)));
        send(recs(P0, 0, 6, 1));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> dispatch.received.isEmpty());
        batching.batchSettings(BatchSettings.fixed(3, 1_000_000, 20_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatch.received.size() == 2);
        assertThat(dispatch.received).extracting(Batch::closeReason).containsExactly("count", "count");
        assertThat(dispatch.received)
                .extracting(BatchingVerticleTest::offsets)
                .containsExactly(List.of(0L, 1L, 2L), List.of(3L, 4L, 5L));
    }

    /**
     * The consumer's onLost path (issue #14, defect 7): an epoch-1 batch is in flight, the partition is lost
     * (revoke with timeout 0), re-assigned under epoch 2 and re-read from offset 0, then the epoch-1 batch
     * fails its hand-off. Nothing of epoch 1 may go out again, and no batch may mix the epochs.
     */
    @Test
    void aStaleBatchWhoseHandOffFailsAfterTheLossIsNotSentAgain(VertxTestContext ctx) throws Exception {
        deploy(settings(batch(10, 0)));
        dispatch.policy = b -> dispatch.received.size() == 1 ? Action.HOLD : Action.REPLY;
        send(recs(P0, 0, 4, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatch.held() == 1);
        revoke(Set.of(P0), 0).get(5, TimeUnit.SECONDS); // what onLost sends
        send(recs(P0, 0, 6, 2));
        dispatch.release(b -> true, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatch.received.size() >= 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> completedRecords() >= 6);
        int sent = dispatch.received.size();
        await().during(Duration.ofMillis(700))
                .atMost(Duration.ofSeconds(3))
                .until(() -> dispatch.received.size() == sent);
        ctx.verify(() -> {
            List<Batch> after = dispatch.received.subList(1, dispatch.received.size());
            for (Batch b : after) {
                assertThat(b.records())
                        .as("epochs in %s", b.range())
                        .extracting(InRecord::epoch)
                        .containsOnly(2L);
            }
            assertThat(after)
                    .flatExtracting(Batch::records)
                    .extracting(InRecord::offset)
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            ctx.completeNow();
        });
    }
}

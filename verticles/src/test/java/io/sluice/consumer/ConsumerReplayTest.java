package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.bus.Addresses;
import io.sluice.metrics.PipelineMetrics;
import io.sluice.pipeline.FakeRecords;
import io.sluice.pipeline.Pipeline;
import io.sluice.record.Batch;
import io.sluice.record.BatchOutcome;
import io.sluice.record.InRecord;
import io.sluice.record.RecordChunk;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A replay on the consumer verticle over a MockConsumer: it waits for the records in flight, commits, seeks, commits
 * the target and tracks the partition afresh under a new epoch; when the records in flight do not become final in
 * time nothing moves and the consumer resumes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsumerReplayTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final Duration SOON = Duration.ofSeconds(10);
    private final PacedConsumer consumer = new PacedConsumer();
    private final List<InRecord> polled = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private ConsumerVerticle verticle;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        this.vertx = vertx;
        Pipeline.registerCodecs(vertx);
        vertx.eventBus()
                .<RecordChunk>localConsumer(
                        Addresses.batchRecords("p"), m -> polled.addAll(m.body().records()));
        verticle = new ConsumerVerticle(
                new ConsumerSettings("p", List.of("t"), 60_000, 1000, 1 << 20, 0.5, 1000, 2000, 10),
                () -> consumer,
                new PipelineMetrics(new SimpleMeterRegistry(), "p"),
                null,
                false,
                err -> {});
        vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        consumer.schedulePollTask(() -> consumer.updateEndOffsets(Map.of(TP, 3L)));
        consumer.assignOnNextPoll(List.of(TP));
        consumer.addOnNextPoll(FakeRecords.of(TP, 0, 3));
        await().atMost(SOON).until(() -> polled.size() == 3);
    }

    private void complete(List<InRecord> records) {
        Batch b = Batch.single(1, "t", 0, 0, records, 100, "count");
        vertx.eventBus().send(Addresses.completed("p"), BatchOutcome.whole(b, records.size(), 0, 1));
    }

    private static ReplayRequest earliest(long drainMs) {
        return new ReplayRequest(ReplayRequest.To.EARLIEST, -1, Map.of(), false, drainMs);
    }

    @Test
    void waitsForTheRecordsInFlightThenSeeksCommitsTheTargetAndTracksAfreshUnderANewEpoch() throws Exception {
        var replay = verticle.replay(earliest(10_000)).toCompletionStage().toCompletableFuture();
        await().atMost(SOON)
                .until(() -> verticle.pauseReasons()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get()
                        .contains(PauseState.Reason.REPLAY));
        assertThat(replay).as("waits for the 3 records in flight").isNotDone();
        complete(List.copyOf(polled));

        ReplayPlan plan = replay.get(10, TimeUnit.SECONDS);
        assertThat(plan.partitions()).containsExactly(new ReplayPlan.Row("t", 0, 3, 0, 0, 3, 3, 0));
        assertThat(consumer.lastCommitted.get(TP)).as("the target is committed").isZero();
        assertThat(verticle.pauseReasons()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS))
                .isEmpty();

        long oldEpoch = polled.get(0).epoch();
        consumer.addOnNextPoll(FakeRecords.of(TP, 0, 3)); // what the broker returns after the seek
        await().atMost(SOON).until(() -> polled.size() == 6);
        assertThat(polled.subList(3, 6)).extracting(InRecord::offset).containsExactly(0L, 1L, 2L);
        assertThat(polled.subList(3, 6)).allSatisfy(r -> assertThat(r.epoch()).isGreaterThan(oldEpoch));
        assertThat(verticle.inFlightRecords())
                .as("the old tracker would have dropped them as a re-fetch")
                .isEqualTo(3);
    }

    /** A rebalance after the replay: the revocation never commits the old position over the replayed target. */
    @Test
    void aRevocationAfterTheReplayLeavesTheTargetCommittedForTheNextOwner() throws Exception {
        var replay = verticle.replay(earliest(5_000)).toCompletionStage().toCompletableFuture();
        await().atMost(SOON)
                .until(() -> verticle.pauseReasons()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get()
                        .contains(PauseState.Reason.REPLAY));
        complete(List.copyOf(polled)); // final during the replay: only the replay's own commit on the poll thread has 3
        replay.get(10, TimeUnit.SECONDS);
        assertThat(consumer.lastCommitted.get(TP)).isZero();
        java.util.concurrent.atomic.AtomicReference<Long> atRelease =
                new java.util.concurrent.atomic.AtomicReference<>();
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of()); // onPartitionsRevoked commits the final offsets before the release
            atRelease.set(consumer.lastCommitted.get(TP));
        });
        await().atMost(SOON).until(() -> atRelease.get() != null);
        assertThat(atRelease.get()).as("what the next owner starts from").isZero();
        assertThat(consumer.committed(java.util.Set.of(TP)).get(TP).offset()).isZero();
    }

    @Test
    void recordsThatDoNotBecomeFinalInTimeMoveNothingAndTheConsumerResumes() throws Exception {
        assertThatThrownBy(() -> verticle.replay(earliest(300))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("3 record(s) in flight did not become final within 300 ms; nothing moved");
        assertThat(verticle.pauseReasons()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS))
                .isEmpty();
        assertThat(consumer.lastCommitted).doesNotContainKey(TP);
        assertThat(verticle.inFlightRecords()).isEqualTo(3);
    }

    @Test
    void aDryRunChangesNothing() throws Exception {
        complete(List.copyOf(polled));
        await().atMost(SOON).until(() -> consumer.lastCommitted.getOrDefault(TP, -1L) == 3L);
        ReplayPlan plan = verticle.replay(new ReplayRequest(ReplayRequest.To.EARLIEST, -1, Map.of(), true, 1000))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(plan.redelivered()).isEqualTo(3);
        assertThat(consumer.lastCommitted.get(TP)).isEqualTo(3L);
        assertThat(verticle.pauseReasons()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS))
                .isEmpty();
    }
}

package io.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.batch.BatchSettings;
import io.sluice.consumer.PacedConsumer;
import io.sluice.consumer.PartitionStatus;
import io.sluice.consumer.PauseState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Middle tier: a whole pipeline (consumer, batching, dispatch verticles) over a MockConsumer, a fake Lambda
 * client and a MockProducer: fatal-error recovery, meters and tuning across restarts, clients built off the
 * event loop, lag that never blocks the poll thread, stop racing a restart. Seconds, not minutes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelineTest {
    private static final TopicPartition TP = new TopicPartition(FakeClients.TOPIC, 0);
    private static final Duration AWAIT = Duration.ofSeconds(20);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FakeClients fake = new FakeClients();
    private Pipeline pipeline;

    @BeforeEach
    void noPipelineYet() {
        pipeline = null;
    }

    @AfterEach
    void stopPipeline() throws Exception {
        if (pipeline != null) {
            join(pipeline.stop());
        }
    }

    private Pipeline start(Vertx vertx, JsonObject overrides) throws Exception {
        pipeline = new Pipeline(vertx, FakeClients.settings("p", overrides), () -> fake, registry);
        join(pipeline.start());
        return pipeline;
    }

    /** Assigns partition 0 to the newest consumer and feeds it {@code n} records from {@code from}. */
    private PacedConsumer feed(long from, int n) {
        PacedConsumer c = fake.latest();
        if (!c.assignment().contains(TP)) {
            c.assignOnNextPoll(List.of(TP));
        }
        c.addOnNextPoll(FakeClients.records(TP, from, n));
        return c;
    }

    private double gauge(String name) {
        return registry.get(name).tag("pipeline", "p").gauge().value();
    }

    @Test
    void aFatalConsumerErrorTurnsHealthDownNamingTheCauseAndRestartsThePipeline(Vertx vertx) throws Exception {
        Pipeline p = start(
                vertx,
                new JsonObject()
                        .put(
                                "restart",
                                new JsonObject().put("initialDelayMs", 1500).put("maxDelayMs", 3000)));
        PacedConsumer first = feed(0, 10);
        await().atMost(AWAIT)
                .until(() -> first.committed(Set.of(TP)).get(TP) != null
                        && first.committed(Set.of(TP)).get(TP).offset() == 10);

        first.setPollException(new KafkaException("group authorization failed"));

        await().atMost(AWAIT).until(() -> !p.health().ok());
        assertThat(p.health().state()).isEqualTo(PipelineHealth.State.FAILED);
        assertThat(p.health().detail()).contains("group authorization failed").contains("restart 1 in 1500 ms");
        // restarted: a new consumer, serving again
        await().atMost(AWAIT)
                .until(() -> fake.consumers.size() == 2
                        && p.health().ok()
                        && p.health().state() == PipelineHealth.State.RUNNING);
        assertThat(gauge("sluice.pipeline.up")).isEqualTo(1.0);
        PacedConsumer second = feed(10, 5);
        await().atMost(AWAIT)
                .until(() -> second.committed(Set.of(TP)).get(TP) != null
                        && second.committed(Set.of(TP)).get(TP).offset() == 15);
    }

    /** A restart that fails to start (the consumer cannot be created) is retried with backoff until one succeeds. */
    @Test
    void aRestartThatFailsToStartIsRetriedUntilThePipelineRunsAgain(Vertx vertx) throws Exception {
        Pipeline p = start(vertx, new JsonObject());
        feed(0, 3);
        await().atMost(AWAIT).until(() -> fake.invocations.get() >= 1);
        fake.failingConsumers.set(2);

        fake.latest().setPollException(new KafkaException("fenced"));

        await().atMost(AWAIT)
                .until(() -> fake.failingConsumers.get() == 0
                        && p.health().state() == PipelineHealth.State.RUNNING
                        && p.consumer() != null);
        assertThat(fake.consumers).hasSize(2); // the first and the one created after two failed restarts
        PacedConsumer again = feed(3, 4);
        await().atMost(AWAIT).until(() -> again.lastCommitted.getOrDefault(TP, 0L) == 7L);
    }

    @Test
    void withRestartPolicyStopAFailedPipelineStaysStoppedAndDown(Vertx vertx) throws Exception {
        Pipeline p = start(vertx, new JsonObject().put("restart", new JsonObject().put("policy", "stop")));
        feed(0, 3);
        await().atMost(AWAIT).until(() -> fake.invocations.get() >= 1);

        fake.latest().setPollException(new KafkaException("fenced"));

        await().atMost(AWAIT).until(() -> !p.health().ok() && p.consumer() == null);
        assertThat(p.health().detail()).contains("fenced").contains("restart.policy is stop");
        assertThat(gauge("sluice.pipeline.up")).isEqualTo(0.0);
        assertThat(fake.consumers).hasSize(1);
    }

    @Test
    void theConsumerGaugesReadTheRestartedIncarnation(Vertx vertx) throws Exception {
        Pipeline p = start(vertx, new JsonObject());
        fake.hold = true;
        feed(0, 4);
        await().atMost(AWAIT).until(() -> gauge("sluice.consumer.inflight.records") == 4.0);
        fake.release();
        await().atMost(AWAIT).until(() -> gauge("sluice.consumer.inflight.records") == 0.0);

        join(p.restart("test"));

        fake.hold = true;
        feed(0, 6); // the new member reads the partition again
        await().atMost(AWAIT).until(() -> gauge("sluice.consumer.inflight.records") == 6.0);
        assertThat(gauge("sluice.consumer.inflight.bytes")).isPositive();
        assertThat(gauge("sluice.consumer.paused")).isEqualTo(0.0); // the old one paused itself at its stop
        fake.release();
    }

    @Test
    void operatorTuningAndManualPauseSurviveARestart(Vertx vertx) throws Exception {
        Pipeline p = start(vertx, new JsonObject());
        p.batchSettings(BatchSettings.fixed(7, 1024 * 1024, 5));
        p.maxConcurrency(3);
        assertThat(join(p.manualPause(true))).contains(PauseState.Reason.MANUAL);

        join(p.restart("test"));

        assertThat(p.tuning().batch()).isEqualTo(BatchSettings.fixed(7, 1024 * 1024, 5));
        await().atMost(AWAIT).until(() -> p.batching().maxConcurrency() == 3);
        assertThat(join(p.consumer().pauseReasons())).containsExactly(PauseState.Reason.MANUAL);
        PacedConsumer c = feed(0, 20);
        await().atMost(AWAIT).until(() -> c.paused().contains(TP));
        assertThat(fake.invocations.get()).isZero();

        assertThat(join(p.manualPause(false))).isEmpty();
        await().atMost(AWAIT)
                .until(() ->
                        fake.batchSizes.stream().mapToInt(Integer::intValue).sum() == 20);
        assertThat(fake.batchSizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(7));
    }

    @Test
    void clientsAreBuiltOffTheEventLoop(Vertx vertx) throws Exception {
        pipeline = new Pipeline(vertx, FakeClients.settings("p", new JsonObject()), () -> fake, registry);
        // started from an event loop, as Sluice and a TLS rotation do
        join(Future.<Void>future(pr -> vertx.runOnContext(v -> pipeline.start().onComplete(pr))));
        join(pipeline.restart("test"));
        assertThat(fake.builtOn).hasSize(6).noneMatch(w -> w.contains("(event loop)"));
    }

    @Test
    void lagNeverWaitsForKafkaOnThePollThread(Vertx vertx) throws Exception {
        Pipeline p = start(vertx, new JsonObject());
        PacedConsumer c = feed(0, 5);
        await().atMost(AWAIT).until(() -> c.committed(Set.of(TP)).get(TP) != null);
        c.endOffsetsDelayMs = 10_000; // a round trip to an unresponsive broker

        int pollsBefore = c.polls.get();
        List<PartitionStatus> status = p.consumer()
                .partitionStatus()
                .toCompletionStage()
                .toCompletableFuture()
                .get(2, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(2)).until(() -> c.polls.get() > pollsBefore + 5);
        assertThat(status)
                .singleElement()
                .satisfies(s -> assertThat(s.partition()).isZero());
    }

    @Test
    void lagReadsEndOffsetsFromTheEndOffsetsSource(Vertx vertx) throws Exception {
        fake.endOffsets = FakeClients.fixedEnds(42);
        Pipeline p = start(vertx, new JsonObject());
        PacedConsumer c = feed(0, 5);
        await().atMost(AWAIT)
                .until(() -> c.committed(Set.of(TP)).get(TP) != null
                        && c.committed(Set.of(TP)).get(TP).offset() == 5);
        await().atMost(AWAIT)
                .untilAsserted(() -> assertThat(join(p.consumer().partitionStatus()))
                        .singleElement()
                        .satisfies(s -> {
                            assertThat(s.endOffset()).isEqualTo(42);
                            assertThat(s.lagRecords()).isEqualTo(37);
                        }));
    }

    @Test
    void aStopRacingARestartLeavesNothingRunning(Vertx vertx) throws Exception {
        Pipeline p = start(vertx, new JsonObject());
        feed(0, 3);
        Future<Void> restart = p.restart("TLS rotation");
        Future<Void> stop = p.stop();
        join(restart);
        join(stop);
        pipeline = null;

        assertThat(vertx.deploymentIDs()).isEmpty();
        assertThat(p.consumer()).isNull();
        assertThat(p.health().state()).isEqualTo(PipelineHealth.State.STOPPED);
        join(p.restart("late rotation"));
        assertThat(vertx.deploymentIDs()).isEmpty();
        assertThat(p.start().toCompletionStage().toCompletableFuture())
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class); // failed, not merely slow
    }

    @Test
    void stopIsBoundedWhileInvocationsNeverAnswer(Vertx vertx) throws Exception {
        Pipeline p = start(vertx, new JsonObject()); // shutdownTimeoutMs 2000
        fake.hold = true;
        feed(0, 5);
        await().atMost(AWAIT).until(() -> fake.invocations.get() >= 1);
        long t0 = System.nanoTime();
        join(p.stop());
        pipeline = null;
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2000 + 2000));
        assertThat(vertx.deploymentIDs()).isEmpty();
    }

    @Test
    void aDlqThatCannotBeWrittenShowsInHealthAndHoldsTheCommitUntilItRecovers(Vertx vertx) throws Exception {
        Pipeline p = start(vertx, new JsonObject());
        assertThat(p.dlqHealth().available()).isTrue();
        fake.dlq.sendException = new org.apache.kafka.common.errors.TimeoutException("DLQ topic not in metadata");
        PacedConsumer c = fake.latest();
        c.assignOnNextPoll(List.of(TP));
        c.addOnNextPoll(List.of(new org.apache.kafka.clients.consumer.ConsumerRecord<>(
                TP.topic(),
                0,
                0L,
                "k".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8))));

        await().atMost(AWAIT).until(() -> !p.dlqHealth().available());
        assertThat(p.dlqHealth().waitingRecords()).isEqualTo(1);
        assertThat(p.dlqHealth().lastError()).contains("DLQ topic not in metadata");
        assertThat(c.lastCommitted.getOrDefault(TP, 0L))
                .as("nothing committed past a record not yet in the DLQ")
                .isZero();

        fake.dlq.sendException = null;
        await().atMost(AWAIT).until(() -> p.dlqHealth().available() && c.lastCommitted.getOrDefault(TP, 0L) == 1L);
        assertThat(fake.dlq.history())
                .singleElement()
                .satisfies(r -> assertThat(r.topic()).isEqualTo("t-dlq"));
    }

    /**
     * A partition whose records pile up (its function calls never answer) is paused alone once it holds its share
     * of the in-flight bound; the other partition keeps flowing and committing (before: the whole consumer paused
     * at the global bound, starving the cold partition).
     */
    @Test
    void aPartitionOverItsShareIsPausedAloneAndTheOthersKeepFlowing(Vertx vertx) throws Exception {
        TopicPartition cold = new TopicPartition(FakeClients.TOPIC, 1);
        Pipeline p = start(
                vertx,
                new JsonObject()
                        .put("inFlight", new JsonObject().put("maxRecords", 1_000))
                        .put("batch", new JsonObject().put("maxRecords", 50).put("maxWaitMs", 5)));
        fake.holdPartition = TP.toString();
        PacedConsumer c = fake.latest();
        c.assignOnNextPoll(List.of(TP, cold));
        c.addOnNextPoll(FakeClients.records(TP, 0, 600));
        await().atMost(AWAIT).until(() -> c.paused().contains(TP));
        assertThat(gauge("sluice.consumer.paused.partitions")).isEqualTo(1.0);

        for (int i = 0; i < 5; i++) { // 1,000 records on the cold partition: as many as the whole bound
            c.addOnNextPoll(FakeClients.records(cold, i * 200L, 200));
        }
        await().atMost(AWAIT).until(() -> c.lastCommitted.getOrDefault(cold, 0L) == 1_000L);
        assertThat(c.paused()).containsExactly(TP);
        assertThat(p.consumer().paused())
                .as("the consumer as a whole is not paused")
                .isFalse();
        assertThat(gauge("sluice.consumer.paused")).isZero();

        fake.release();
        await().atMost(AWAIT).until(() -> c.paused().isEmpty());
        assertThat(gauge("sluice.consumer.paused.partitions")).isZero();
    }

    private static <T> T join(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}

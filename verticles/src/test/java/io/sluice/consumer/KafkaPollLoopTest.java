package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Middle tier: the consumer thread over a {@link PacedConsumer} (a MockConsumer): fatal errors, commands after
 * the loop ended, rebalance callbacks (commit before release, paused assignment, lost partitions), wakeups and
 * close. Every listener call must arrive on the verticle's event-loop context.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KafkaPollLoopTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final Duration SOON = Duration.ofSeconds(10);

    private final PacedConsumer consumer = new PacedConsumer();
    private final Recorder listener = new Recorder();
    private KafkaPollLoop loop;

    /** Records what the loop tells the verticle, and on which thread. */
    private static final class Recorder implements KafkaPollLoop.Listener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<String> offContext = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> fatal = new AtomicReference<>();
        final AtomicReference<Throwable> commitResult = new AtomicReference<>();
        volatile Map<TopicPartition, Long> finalOffsets = Map.of();

        private void on(String call) {
            calls.add(call);
            if (!Context.isOnEventLoopThread()) {
                offContext.add(call + "@" + Thread.currentThread().getName());
            }
        }

        @Override
        public void onAssigned(Map<TopicPartition, long[]> epochAndCommitted) {
            on("assigned " + epochAndCommitted.keySet());
        }

        @Override
        public void onRevoking(
                Set<TopicPartition> partitions, CompletableFuture<Map<TopicPartition, Long>> finalOffsets) {
            on("revoking " + partitions);
            finalOffsets.complete(this.finalOffsets);
        }

        @Override
        public void onLost(Set<TopicPartition> partitions) {
            on("lost " + partitions);
        }

        @Override
        public void onRecords(KafkaPollLoop.Polled polled) {
            on("records " + polled.records().size());
        }

        @Override
        public void onCommitted(
                Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> epochs, Throwable failure) {
            on("committed " + offsets + (failure == null ? "" : " failed"));
            commitResult.set(failure == null ? new Throwable("ok") : failure);
        }

        @Override
        public void onFatal(Throwable error) {
            on("fatal");
            fatal.set(error);
        }
    }

    private KafkaPollLoop start(Vertx vertx, Supplier<Consumer<byte[], byte[]>> factory) throws Exception {
        Context ctx = vertx.getOrCreateContext();
        loop = new KafkaPollLoop(
                factory, List.of("t"), ctx, listener, 1_000, Duration.ofMillis(20), Duration.ofSeconds(1));
        loop.start("test-poll-loop").get(10, TimeUnit.SECONDS);
        return loop;
    }

    @AfterEach
    void close() throws Exception {
        if (loop != null) {
            loop.close().get(10, TimeUnit.SECONDS);
        }
        assertThat(listener.offContext).as("listener calls off the event loop").isEmpty();
    }

    @Test
    void commandsFailAtOnceOnceThePollLoopDiedOfAFatalError(Vertx vertx) throws Exception {
        start(vertx, () -> consumer);
        consumer.setPollException(new KafkaException("not authorized to read group g"));
        await().atMost(SOON).until(() -> listener.fatal.get() != null);
        assertThat(listener.fatal.get()).hasMessageContaining("not authorized");
        assertThat(loop.ended()).isTrue();

        // before the fix these were queued for a thread that had exited: never completed
        assertThat(loop.commitSync(Map.of(TP, 3L), Duration.ofSeconds(1)))
                .failsWithin(Duration.ofMillis(500))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class); // failed, not merely slow
        assertThat(loop.call(c -> c.assignment()))
                .failsWithin(Duration.ofMillis(500))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class); // failed, not merely slow
        loop.commitAsync(Map.of(TP, 3L), Map.of(TP, 1L));
        await().atMost(SOON).until(() -> listener.commitResult.get() != null);
        assertThat(listener.commitResult.get()).hasMessageContaining("failed");
        assertThat(loop.close()).succeedsWithin(Duration.ofSeconds(2));
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void aConsumerThatCannotBeCreatedFailsTheStartAndEveryCommand(Vertx vertx) {
        Context ctx = vertx.getOrCreateContext();
        loop = new KafkaPollLoop(
                () -> {
                    throw new KafkaException("bootstrap.servers: no resolvable address");
                },
                List.of("t"),
                ctx,
                listener,
                1_000,
                Duration.ofMillis(20),
                Duration.ofSeconds(1));
        assertThat(loop.start("test-poll-loop"))
                .failsWithin(SOON)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class); // failed, not merely slow
        await().atMost(SOON).until(loop::ended);
        assertThat(loop.call(c -> 1))
                .failsWithin(Duration.ofMillis(500))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class); // failed, not merely slow
    }

    @Test
    void revocationCommitsTheFinalOffsetsOnTheConsumerThreadBeforeRelease(Vertx vertx) throws Exception {
        start(vertx, () -> consumer);
        consumer.assignOnNextPoll(List.of(TP));
        consumer.addOnNextPoll(io.sluice.pipeline.FakeRecords.of(TP, 0, 5));
        await().atMost(SOON).until(() -> listener.calls.contains("records 5"));

        listener.finalOffsets = Map.of(TP, 5L);
        AtomicReference<Long> committedAtRelease = new AtomicReference<>();
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of()); // runs onPartitionsRevoked, which must commit before returning
            committedAtRelease.set(consumer.lastCommitted.getOrDefault(TP, -1L));
        });
        await().atMost(SOON).until(() -> committedAtRelease.get() != null);
        assertThat(committedAtRelease.get()).isEqualTo(5);
        assertThat(listener.calls).contains("revoking [" + TP + "]");
    }

    @Test
    void partitionsAssignedWhilePausedStartPaused(Vertx vertx) throws Exception {
        start(vertx, () -> consumer);
        loop.pauseAll();
        consumer.assignOnNextPoll(List.of(TP));
        await().atMost(SOON).until(() -> listener.calls.contains("assigned [" + TP + "]"));
        assertThat(loop.call(c -> c.paused()).get(5, TimeUnit.SECONDS)).containsExactly(TP);
        loop.resumeAll();
        await().atMost(SOON)
                .until(() -> loop.call(c -> c.paused()).get(5, TimeUnit.SECONDS).isEmpty());
    }

    @Test
    void aWakeupFromOutsideIsNotFatal(Vertx vertx) throws Exception {
        start(vertx, () -> consumer);
        int before = consumer.polls.get();
        consumer.wakeup();
        await().atMost(SOON).until(() -> consumer.polls.get() > before + 3);
        assertThat(listener.fatal.get()).isNull();
        assertThat(loop.ended()).isFalse();
    }

    @Test
    void closeEndsTheLoopAndLaterCommandsFailAtOnce(Vertx vertx) throws Exception {
        start(vertx, () -> consumer);
        assertThat(loop.close()).succeedsWithin(SOON);
        assertThat(consumer.closed()).isTrue();
        assertThat(loop.call(c -> 1))
                .failsWithin(Duration.ofMillis(500))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class); // failed, not merely slow
        assertThat(listener.fatal.get()).isNull();
        loop = null;
    }
}

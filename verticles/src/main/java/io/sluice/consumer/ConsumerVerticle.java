package io.sluice.consumer;

import io.sluice.bus.Addresses;
import io.sluice.metrics.PipelineMetrics;
import io.sluice.pipeline.BatchOutcome;
import io.sluice.pipeline.InRecord;
import io.sluice.pipeline.PipelineSettings;
import io.sluice.pipeline.RecordChunk;
import io.sluice.pipeline.RevokeRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The consumer side of one pipeline. Owns the offset tracker and the pause state; the Kafka consumer
 * itself lives on the {@link KafkaPollLoop} thread. Polled records go to batching in one event-bus
 * message per poll; each batch outcome marks its records final, and the contiguous final prefix of
 * each partition is committed from that completion (and on an interval). Above the in-flight limits
 * every assigned partition is paused (the poll loop keeps running); under the low-water mark they resume.
 */
public final class ConsumerVerticle extends VerticleBase implements KafkaPollLoop.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerVerticle.class);

    private final PipelineSettings settings;
    private final Supplier<Consumer<byte[], byte[]>> consumerFactory;
    private final PipelineMetrics metrics;
    private final OffsetTracker tracker = new OffsetTracker();
    private final PauseState pause;
    private KafkaPollLoop loop;
    private boolean commitInFlight;
    private boolean commitAgain;
    private long commitTimer = -1;
    private volatile int pendingRecords;
    private volatile long pendingBytes;
    private volatile boolean pausedGauge;

    public ConsumerVerticle(PipelineSettings settings, Supplier<Consumer<byte[], byte[]>> consumerFactory,
                            PipelineMetrics metrics) {
        this.settings = settings;
        this.consumerFactory = consumerFactory;
        this.metrics = metrics;
        this.pause = new PauseState(settings.inFlightMaxRecords(), settings.inFlightMaxBytes(), settings.resumeRatio());
        metrics.gauge("sluice.consumer.inflight.records", () -> pendingRecords);
        metrics.gauge("sluice.consumer.inflight.bytes", () -> pendingBytes);
        metrics.gauge("sluice.consumer.paused", () -> pausedGauge ? 1 : 0);
    }

    @Override
    public Future<?> start() {
        MessageConsumer<BatchOutcome> completions = vertx.eventBus().localConsumer(Addresses.completed(settings.name()),
                m -> onCompleted(m.body()));
        loop = new KafkaPollLoop(consumerFactory, settings.topics(), context, this, settings.revokeTimeoutMs(),
                Duration.ofMillis(100));
        commitTimer = vertx.setPeriodic(settings.commitIntervalMs(), id -> commit());
        return completions.completion()
                .compose(v -> Future.fromCompletionStage(loop.start("sluice-consumer-" + settings.name()), context));
    }

    @Override
    public void onAssigned(Map<TopicPartition, long[]> epochAndCommitted) {
        epochAndCommitted.forEach((tp, ec) -> tracker.assign(tp, ec[0], ec[1]));
    }

    @Override
    public void onRecords(KafkaPollLoop.Polled polled) {
        List<InRecord> accepted = new ArrayList<>(polled.records().size());
        Map<TopicPartition, Boolean> known = new HashMap<>();
        polled.offsets().forEach((tp, offs) -> known.put(tp,
                tracker.fetched(tp, polled.epochs().get(tp), offs, polled.timestamps().get(tp), polled.sizes().get(tp))));
        for (InRecord r : polled.records()) {
            if (known.getOrDefault(new TopicPartition(r.topic(), r.partition()), false)) {
                accepted.add(r);
            }
        }
        metrics.polled(accepted.size());
        if (!accepted.isEmpty()) {
            vertx.eventBus().send(Addresses.batchRecords(settings.name()), new RecordChunk(accepted));
        }
        updateInFlight();
    }

    private void onCompleted(BatchOutcome outcome) {
        var b = outcome.batch();
        long[] offsets = new long[b.records().size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = b.records().get(i).offset();
        }
        long epoch = b.records().get(0).epoch();
        int n = tracker.complete(new TopicPartition(b.topic(), b.partition()), epoch, offsets);
        if (n == 0) {
            LOG.debug("pipeline={} stale completion for {} (partition revoked or re-assigned)", settings.name(), b.range());
        }
        updateInFlight();
        commit();
    }

    private void updateInFlight() {
        pendingRecords = tracker.pending();
        pendingBytes = tracker.pendingBytes();
        applyPause(pause.inFlight(pendingRecords, pendingBytes));
    }

    private void applyPause(boolean changed) {
        if (!changed) {
            return;
        }
        pausedGauge = pause.paused();
        if (pause.paused()) {
            LOG.info("pipeline={} pausing consumption ({}; in-flight {} records / {} bytes)", settings.name(),
                    pause.reasons(), pendingRecords, pendingBytes);
            loop.pauseAll();
        } else {
            LOG.info("pipeline={} resuming consumption (in-flight {} records / {} bytes)", settings.name(),
                    pendingRecords, pendingBytes);
            loop.resumeAll();
        }
    }

    /** Pauses or resumes for a reason other than in-flight backpressure (operator, breaker). */
    public void pause(PauseState.Reason reason, boolean on) {
        context.runOnContext(v -> applyPause(pause.set(reason, on)));
    }

    /** Asynchronous commit of every partition whose final prefix moved; at most one commit in flight. */
    private void commit() {
        if (commitInFlight) {
            commitAgain = true;
            return;
        }
        Map<TopicPartition, Long> offsets = tracker.commitCandidates();
        if (offsets.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> epochs = new HashMap<>();
        offsets.keySet().forEach(tp -> epochs.put(tp, tracker.epoch(tp)));
        commitInFlight = true;
        loop.commitAsync(offsets, epochs);
    }

    @Override
    public void onCommitted(Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> epochs, Throwable failure) {
        commitInFlight = false;
        metrics.commits(failure == null);
        if (failure != null) {
            LOG.warn("pipeline={} commit of {} failed: {} (will retry)", settings.name(), offsets, failure.toString());
        } else {
            offsets.forEach((tp, off) -> {
                PartitionOffsets p = tracker.get(tp);
                if (p != null && p.epoch() == epochs.get(tp)) {
                    long before = Math.max(p.committed(), 0);
                    tracker.committed(tp, epochs.get(tp), off);
                    metrics.committed(Math.max(0, off - before));
                }
            });
        }
        if (commitAgain) {
            commitAgain = false;
            commit();
        }
    }

    @Override
    public void onRevoking(Set<TopicPartition> partitions, CompletableFuture<Map<TopicPartition, Long>> finalOffsets) {
        DeliveryOptions opts = new DeliveryOptions().setSendTimeout(settings.revokeTimeoutMs() + 2_000);
        vertx.eventBus().request(Addresses.batchRevoke(settings.name()),
                        new RevokeRequest(partitions, settings.revokeTimeoutMs()), opts)
                .onComplete(ar -> {
                    Map<TopicPartition, Long> offsets = tracker.commitPositions(partitions);
                    offsets.entrySet().removeIf(e -> {
                        PartitionOffsets p = tracker.get(e.getKey());
                        return p != null && e.getValue() <= p.committed();
                    });
                    tracker.revoke(partitions);
                    finalOffsets.complete(offsets);
                    updateInFlight();
                });
    }

    @Override
    public void onLost(Set<TopicPartition> partitions) {
        vertx.eventBus().send(Addresses.batchRevoke(settings.name()), new RevokeRequest(partitions, 0));
        tracker.revoke(partitions);
        updateInFlight();
    }

    @Override
    public void onFatal(Throwable error) {
        LOG.error("pipeline={} consumer stopped: {}", settings.name(), error.toString());
    }

    /**
     * Per-partition status: committed and end offsets (end offsets read on the consumer thread, without
     * a network round trip when the fetcher knows them), lag in records and seconds, in-flight, paused.
     */
    public Future<List<PartitionStatus>> partitionStatus() {
        Promise<List<PartitionStatus>> result = Promise.promise();
        context.runOnContext(v -> {
            Set<TopicPartition> tps = Set.copyOf(tracker.assigned());
            Future.fromCompletionStage(loop.call(c -> c.endOffsets(tps, Duration.ofSeconds(5))), context)
                    .otherwise(err -> Map.of())
                    .onSuccess(ends -> {
                        long now = System.currentTimeMillis();
                        List<PartitionStatus> out = new ArrayList<>();
                        for (TopicPartition tp : tps) {
                            PartitionOffsets p = tracker.get(tp);
                            if (p == null) {
                                continue;
                            }
                            Long end = ends.get(tp);
                            long endOffset = end == null ? -1 : end;
                            long committed = p.committed();
                            long lag = endOffset < 0 ? 0 : Math.max(0, endOffset - Math.max(committed, 0));
                            out.add(new PartitionStatus(tp.topic(), tp.partition(), committed, endOffset, lag,
                                    PartitionStatus.lagSeconds(now, lag, p.oldestPendingTimestamp(), p.lastFetchedTimestamp()),
                                    p.pending(), pause.paused()));
                        }
                        out.sort(java.util.Comparator.comparing(PartitionStatus::topic).thenComparing(PartitionStatus::partition));
                        result.complete(out);
                    });
        });
        return result.future();
    }

    /** Why the consumer is paused (empty when running). */
    public Future<Set<PauseState.Reason>> pauseReasons() {
        Promise<Set<PauseState.Reason>> p = Promise.promise();
        context.runOnContext(v -> p.complete(pause.reasons()));
        return p.future();
    }

    /** Records polled and not final yet. */
    public int inFlightRecords() {
        return pendingRecords;
    }

    public boolean paused() {
        return pausedGauge;
    }

    /**
     * Graceful stop: pause intake, wait (bounded) for in-flight records to become final, commit
     * synchronously on the consumer thread, close the consumer.
     */
    @Override
    public Future<?> stop() {
        applyPause(pause.set(PauseState.Reason.SHUTDOWN, true));
        vertx.cancelTimer(commitTimer);
        long deadline = System.currentTimeMillis() + settings.shutdownTimeoutMs();
        Promise<Void> drained = Promise.promise();
        awaitDrained(deadline, drained);
        return drained.future()
                .compose(v -> {
                    Map<TopicPartition, Long> offsets = tracker.commitPositions(tracker.assigned());
                    LOG.info("pipeline={} stopping: {} record(s) still in flight; committing {}", settings.name(),
                            tracker.pending(), offsets);
                    return Future.fromCompletionStage(loop.commitSync(offsets), context);
                })
                .recover(err -> {
                    LOG.warn("pipeline={} final commit failed: {}", settings.name(), err.toString());
                    return Future.succeededFuture();
                })
                .compose(v -> Future.fromCompletionStage(loop.close(), context));
    }

    private void awaitDrained(long deadline, Promise<Void> done) {
        if (tracker.pending() == 0 || System.currentTimeMillis() >= deadline) {
            done.tryComplete();
            return;
        }
        vertx.setTimer(50, id -> awaitDrained(deadline, done));
    }
}

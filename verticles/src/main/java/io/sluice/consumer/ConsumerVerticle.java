package io.sluice.consumer;

import io.sluice.bus.Addresses;
import io.sluice.metrics.PipelineMetrics;
import io.sluice.record.BatchOutcome;
import io.sluice.record.InRecord;
import io.sluice.record.RecordChunk;
import io.sluice.record.RevokeRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer side of one pipeline. Owns the offset tracker and the pause state; the Kafka consumer
 * itself lives on the {@link KafkaPollLoop} thread. Polled records go to batching in one event-bus
 * message per poll; each batch outcome marks its records final, and the contiguous final prefix of
 * each partition is committed from that completion (and on an interval). Above the in-flight limits
 * every assigned partition is paused (the poll loop keeps running); under the low-water mark they resume.
 */
public final class ConsumerVerticle extends VerticleBase implements KafkaPollLoop.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerVerticle.class);
    /** Bound of the final synchronous commit. */
    private static final long COMMIT_TIMEOUT_MS = 5_000;
    /** At most one WARN per this interval while commits keep failing. */
    private static final long COMMIT_SUMMARY_MS = 30_000;
    /** Bound of closing the consumer (leaving the group). */
    private static final long CLOSE_TIMEOUT_MS = 3_000;

    private final ConsumerSettings settings;
    private final Supplier<Consumer<byte[], byte[]>> consumerFactory;
    private final PipelineMetrics metrics;
    private final EndOffsets endOffsets;
    private final java.util.function.Consumer<Throwable> fatalHandler;
    private final OffsetTracker tracker = new OffsetTracker();
    private final CommitFailures commitFailures = new CommitFailures(COMMIT_SUMMARY_MS);
    private final PartitionShares shares;
    private volatile int pausedPartitions;
    private final PauseState pause;
    /** End offsets last read per partition: what lag shows while Kafka cannot be asked. */
    private final Map<TopicPartition, Long> lastEnds = new HashMap<>();

    private KafkaPollLoop loop;
    private Promise<Void> drainWaiter;
    private boolean commitInFlight;
    private boolean commitAgain;
    private long commitTimer = -1;
    private volatile int pendingRecords;
    private volatile long pendingBytes;
    private volatile boolean pausedGauge;

    /**
     * @param consumerFactory called on the consumer's own thread
     * @param endOffsets      end offsets for lag, asked off the consumer thread; null = only what the consumer
     *                        knows locally (position + its last fetch's lag)
     * @param manualPause     start paused by the operator (a restarted pipeline keeps the operator's pause)
     * @param fatalHandler    called on this verticle's context when the consumer thread failed for good
     */
    public ConsumerVerticle(
            ConsumerSettings settings,
            Supplier<Consumer<byte[], byte[]>> consumerFactory,
            PipelineMetrics metrics,
            EndOffsets endOffsets,
            boolean manualPause,
            java.util.function.Consumer<Throwable> fatalHandler) {
        this.settings = settings;
        this.consumerFactory = consumerFactory;
        this.metrics = metrics;
        this.endOffsets = endOffsets;
        this.fatalHandler = fatalHandler;
        this.pause = new PauseState(settings.inFlightMaxRecords(), settings.inFlightMaxBytes(), settings.resumeRatio());
        this.pause.set(PauseState.Reason.MANUAL, manualPause);
        // a partition's floor: one full batch in flight and the next one filling behind it
        this.shares = new PartitionShares(
                settings.inFlightMaxRecords(),
                settings.inFlightMaxBytes(),
                settings.resumeRatio(),
                2L * settings.batchMaxRecords());
        this.pausedGauge = pause.paused();
    }

    @Override
    public Future<?> start() {
        MessageConsumer<BatchOutcome> completions =
                vertx.eventBus().localConsumer(Addresses.completed(settings.name()), m -> onCompleted(m.body()));
        loop = new KafkaPollLoop(
                consumerFactory,
                settings.topics(),
                context,
                this,
                settings.revokeTimeoutMs(),
                Duration.ofMillis(100),
                Duration.ofMillis(Math.min(CLOSE_TIMEOUT_MS, Math.max(100, settings.shutdownTimeoutMs()))));
        if (pause.paused()) {
            loop.pauseAll(); // runs before the first poll: partitions are assigned paused
        }
        commitTimer = vertx.setPeriodic(settings.commitIntervalMs(), id -> commit());
        return completions
                .completion()
                .compose(v -> Future.fromCompletionStage(loop.start("sluice-consumer-" + settings.name()), context));
    }

    @Override
    public void onAssigned(Map<TopicPartition, long[]> epochAndCommitted) {
        epochAndCommitted.forEach((tp, ec) -> tracker.assign(tp, ec[0], ec[1]));
    }

    @Override
    public void onRecords(KafkaPollLoop.Polled polled) {
        Set<TopicPartition> unknown = new HashSet<>();
        polled.offsets().forEach((tp, offs) -> {
            if (!tracker.fetched(
                    tp,
                    polled.epochs().get(tp),
                    offs,
                    polled.timestamps().get(tp),
                    polled.sizes().get(tp))) {
                unknown.add(tp);
            }
        });
        List<InRecord> accepted;
        if (unknown.isEmpty()) {
            accepted = polled.records();
        } else { // rare: a partition revoked or re-assigned since the poll
            accepted = new ArrayList<>(polled.records().size());
            for (InRecord r : polled.records()) {
                if (!unknown.contains(new TopicPartition(r.topic(), r.partition()))) {
                    accepted.add(r);
                }
            }
        }
        metrics.polled(accepted.size());
        metrics.keys().polled(accepted);
        if (!accepted.isEmpty()) {
            vertx.eventBus().send(Addresses.batchRecords(settings.name()), new RecordChunk(accepted));
        }
        updateInFlight();
    }

    /**
     * Marks a batch's records final, each under its own partition and assignment epoch: records of an earlier
     * assignment are ignored (their partition was revoked or lost), they never move a newer tracker.
     */
    private void onCompleted(BatchOutcome outcome) {
        int stale = 0;
        for (Map.Entry<TopicPartition, Map<Long, long[]>> tp :
                FinalOffsets.byPartitionAndEpoch(outcome.records()).entrySet()) {
            for (Map.Entry<Long, long[]> e : tp.getValue().entrySet()) {
                int n = tracker.complete(tp.getKey(), e.getKey(), e.getValue());
                stale += e.getValue().length - n;
            }
        }
        if (stale > 0) {
            LOG.debug(
                    "pipeline={} {} stale completion(s) in {} (partition revoked or re-assigned)",
                    settings.name(),
                    stale,
                    outcome.batch().range());
        }
        updateInFlight();
        commit();
    }

    /** After every poll and completion: in-flight totals, the global pause, the partitions over their share. */
    private void updateInFlight() {
        Map<TopicPartition, PartitionShares.Load> loads = new HashMap<>();
        int records = 0;
        long bytes = 0;
        for (TopicPartition tp : tracker.assigned()) {
            PartitionOffsets p = tracker.get(tp);
            loads.put(tp, new PartitionShares.Load(p.pending(), p.pendingBytes()));
            records += p.pending();
            bytes += p.pendingBytes();
        }
        pendingRecords = records;
        pendingBytes = bytes;
        if (records == 0 && drainWaiter != null) {
            drainWaiter.tryComplete();
        }
        PartitionShares.Change c = shares.update(loads);
        applyPause(pause.inFlight(c.effectiveRecords(), c.effectiveBytes()));
        applyShares(c);
    }

    /** Pauses the partitions over their share of the in-flight bound, resumes those back under it. */
    private void applyShares(PartitionShares.Change c) {
        pausedPartitions = shares.overCount();
        if (c.isEmpty() || loop == null) {
            return;
        }
        if (!c.pause().isEmpty()) {
            LOG.debug("pipeline={} pausing {} (over their share of the in-flight bound)", settings.name(), c.pause());
            loop.pausePartitions(c.pause());
        }
        if (!c.resume().isEmpty()) {
            LOG.debug("pipeline={} resuming {} (back under their share)", settings.name(), c.resume());
            loop.resumePartitions(c.resume());
        }
    }

    private void applyPause(boolean changed) {
        if (!changed) {
            return;
        }
        pausedGauge = pause.paused();
        if (pause.paused()) {
            LOG.info(
                    "pipeline={} pausing consumption ({}; in-flight {} records / {} bytes)",
                    settings.name(),
                    pause.reasons(),
                    pendingRecords,
                    pendingBytes);
            loop.pauseAll();
        } else {
            LOG.info(
                    "pipeline={} resuming consumption (in-flight {} records / {} bytes)",
                    settings.name(),
                    pendingRecords,
                    pendingBytes);
            loop.resumeAll();
        }
    }

    /** Pauses or resumes for a reason other than in-flight backpressure (operator, breaker). */
    public void pause(PauseState.Reason reason, boolean on) {
        context.runOnContext(v -> applyPause(pause.set(reason, on)));
    }

    /** Asynchronous commit of every partition whose final prefix moved; at most one commit in flight. */
    private void commit() {
        if (pause.reasons().contains(PauseState.Reason.REPLAY)) {
            return; // the replay commits on the consumer thread; a commit queued behind its seek would undo it
        }
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
        long now = System.currentTimeMillis();
        if (failure != null) {
            switch (commitFailures.failed(now)) {
                case FIRST_FAILURE ->
                    LOG.warn(
                            "pipeline={} commit of {} failed: {} (retried on every completion and "
                                    + "interval; the next summary in {} s at most)",
                            settings.name(),
                            offsets,
                            failure.toString(),
                            COMMIT_SUMMARY_MS / 1000);
                case STILL_FAILING ->
                    LOG.warn(
                            "pipeline={} commits failing for {} s ({} attempts), last: {}",
                            settings.name(),
                            commitFailures.failingForMs(now) / 1000,
                            commitFailures.failures(),
                            failure.toString());
                default ->
                    LOG.debug("pipeline={} commit of {} failed: {}", settings.name(), offsets, failure.toString());
            }
        } else {
            long failedFor = commitFailures.failingForMs(now);
            int failed = commitFailures.failures();
            if (commitFailures.succeeded() == CommitFailures.Say.RECOVERED) {
                LOG.info(
                        "pipeline={} commits succeed again after {} s ({} failed attempts)",
                        settings.name(),
                        failedFor / 1000,
                        failed);
            }
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
        vertx.eventBus()
                .request(
                        Addresses.batchRevoke(settings.name()),
                        new RevokeRequest(partitions, settings.revokeTimeoutMs()),
                        opts)
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
        commitInFlight = false;
        if (drainWaiter != null) {
            drainWaiter.tryComplete();
        }
        fatalHandler.accept(error);
    }

    /**
     * Per-partition status: committed and end offsets, lag in records and seconds, in-flight, paused. End
     * offsets come from {@link EndOffsets} (never a round trip on the consumer thread); when Kafka cannot be
     * asked, from what the consumer knows locally (position + the lag of its last fetch), else the last known.
     */
    public Future<List<PartitionStatus>> partitionStatus() {
        Promise<List<PartitionStatus>> result = Promise.promise();
        if (context == null) {
            return Future.succeededFuture(List.of()); // not deployed yet
        }
        context.runOnContext(v -> {
            if (loop == null) {
                result.complete(List.of());
                return;
            }
            Set<TopicPartition> tps = Set.copyOf(tracker.assigned());
            Future<Map<TopicPartition, Long>> remote = endOffsets == null || tps.isEmpty()
                    ? Future.succeededFuture(Map.of())
                    : Future.fromCompletionStage(endOffsets.latest(tps), context)
                            .otherwise(err -> {
                                LOG.debug("pipeline={} end offsets not read: {}", settings.name(), err.toString());
                                return Map.of();
                            });
            remote.compose(ends -> ends.keySet().containsAll(tps) ? Future.succeededFuture(ends) : withLocal(tps, ends))
                    .onSuccess(ends -> result.complete(statusOf(tps, ends)));
        });
        return result.future();
    }

    /** Adds the consumer's local view (no network: position known, lag from the last fetch) where {@code ends} has none. */
    private Future<Map<TopicPartition, Long>> withLocal(Set<TopicPartition> tps, Map<TopicPartition, Long> ends) {
        return Future.fromCompletionStage(loop.call(c -> LocalEnds.read(c, tps)), context)
                .otherwise(err -> Map.of())
                .map(local -> {
                    Map<TopicPartition, Long> all = new HashMap<>(local);
                    all.putAll(ends);
                    return all;
                });
    }

    private List<PartitionStatus> statusOf(Set<TopicPartition> tps, Map<TopicPartition, Long> ends) {
        long now = System.currentTimeMillis();
        Set<TopicPartition> partitionsOver = shares.over();
        lastEnds.keySet().retainAll(tracker.assigned());
        List<PartitionStatus> out = new ArrayList<>();
        for (TopicPartition tp : tps) {
            PartitionOffsets p = tracker.get(tp);
            if (p == null) {
                continue;
            }
            Long end = ends.get(tp);
            if (end != null) {
                lastEnds.put(tp, end);
            } else {
                end = lastEnds.get(tp);
            }
            long endOffset = end == null ? -1 : end;
            long committed = p.committed();
            long lag = endOffset < 0 ? 0 : Math.max(0, endOffset - Math.max(committed, 0));
            out.add(new PartitionStatus(
                    tp.topic(),
                    tp.partition(),
                    committed,
                    endOffset,
                    lag,
                    PartitionStatus.lagSeconds(now, lag, p.oldestPendingTimestamp(), p.lastFetchedTimestamp()),
                    p.pending(),
                    pause.paused() || partitionsOver.contains(tp)));
        }
        out.sort(java.util.Comparator.comparing(PartitionStatus::topic).thenComparing(PartitionStatus::partition));
        return out;
    }

    /**
     * Moves this instance's partitions (see {@link ReplayRequest}). A dry run answers the plan. A real one pauses
     * intake, waits (bounded by {@code drainTimeoutMs}) until every in-flight record is final, then on the consumer
     * thread commits, seeks, commits the targets and starts new epochs ({@link ReplaySeek}), and resumes. When the
     * records in flight do not become final in time nothing is moved and the answer fails.
     */
    public Future<ReplayPlan> replay(ReplayRequest req) {
        Promise<ReplayPlan> result = Promise.promise();
        context.runOnContext(v -> {
            if (loop == null || loop.ended()) {
                result.fail(new IllegalStateException("the consumer is not running"));
            } else if (req.dryRun()) {
                Map<TopicPartition, Long> committed = new HashMap<>();
                tracker.assigned()
                        .forEach(tp -> committed.put(tp, tracker.get(tp).committed()));
                Future.fromCompletionStage(loop.call(c -> ReplaySeek.plan(c, req, committed)), context)
                        .onComplete(result);
            } else if (pause.reasons().contains(PauseState.Reason.REPLAY)) {
                result.fail(new IllegalStateException("a replay is already running"));
            } else {
                applyPause(pause.set(PauseState.Reason.REPLAY, true));
                // once this no-op ran on the consumer thread the pause holds, and every earlier poll is in the tracker
                Future.fromCompletionStage(loop.call(c -> null), context)
                        .compose(x -> {
                            Promise<Void> drained = Promise.promise();
                            awaitDrained(System.currentTimeMillis() + req.drainTimeoutMs(), drained);
                            return drained.future();
                        })
                        .compose(x -> {
                            if (tracker.pending() > 0) {
                                return Future.failedFuture(new IllegalStateException(
                                        tracker.pending() + " record(s) in " + "flight did not become final within "
                                                + req.drainTimeoutMs() + " ms; nothing moved"));
                            }
                            Map<TopicPartition, Long> finals = tracker.commitPositions(tracker.assigned());
                            return Future.fromCompletionStage(
                                    loop.call(c -> ReplaySeek.seek(c, req, finals, loop::renewEpochs)), context);
                        })
                        .map(done -> {
                            onAssigned(done.epochAndTarget()); // fresh tracking from the targets, under the new epochs
                            LOG.info(
                                    "pipeline={} replayed to {}: {} record(s) to be delivered again",
                                    settings.name(),
                                    req.to().configName(),
                                    done.plan().redelivered());
                            return done.plan();
                        })
                        .onComplete(ar -> applyPause(pause.set(PauseState.Reason.REPLAY, false)))
                        .onComplete(result);
            }
        });
        return result.future();
    }

    /** Why the consumer is paused (empty when running). */
    public Future<Set<PauseState.Reason>> pauseReasons() {
        Promise<Set<PauseState.Reason>> p = Promise.promise();
        context.runOnContext(v -> p.complete(pause.reasons()));
        return p.future();
    }

    /** Records polled and not final yet (any thread). */
    public int inFlightRecords() {
        return pendingRecords;
    }

    /** Partitions paused for holding more than their share of the in-flight bound (any thread). */
    public int pausedPartitions() {
        return pausedPartitions;
    }

    /** Bytes (key + value) polled and not final yet (any thread). */
    public long inFlightBytes() {
        return pendingBytes;
    }

    public boolean paused() {
        return pausedGauge;
    }

    /**
     * Graceful stop within {@code shutdownTimeoutMs}: pause intake, wait for in-flight records to become final
     * (not when the consumer thread has ended: nothing could be committed), commit synchronously on the
     * consumer thread, close the consumer. The commit and the close have bounds of their own inside the
     * deadline, so a dead broker cannot hold the stop.
     */
    @Override
    public Future<?> stop() {
        applyPause(pause.set(PauseState.Reason.SHUTDOWN, true));
        vertx.cancelTimer(commitTimer);
        long deadline = System.currentTimeMillis() + settings.shutdownTimeoutMs();
        long drainUntil = deadline - Math.min(settings.shutdownTimeoutMs() / 2, COMMIT_TIMEOUT_MS + CLOSE_TIMEOUT_MS);
        Promise<Void> drained = Promise.promise();
        awaitDrained(drainUntil, drained);
        return drained.future()
                .compose(v -> {
                    if (loop.ended()) {
                        LOG.info(
                                "pipeline={} stopping: the consumer has ended; {} record(s) in flight are not committed",
                                settings.name(),
                                tracker.pending());
                        return Future.succeededFuture();
                    }
                    Map<TopicPartition, Long> offsets = tracker.commitPositions(tracker.assigned());
                    LOG.info(
                            "pipeline={} stopping: {} record(s) still in flight; committing {}",
                            settings.name(),
                            tracker.pending(),
                            offsets);
                    long left = Math.max(100, Math.min(COMMIT_TIMEOUT_MS, deadline - System.currentTimeMillis()));
                    return Future.fromCompletionStage(loop.commitSync(offsets, Duration.ofMillis(left)), context);
                })
                .recover(err -> {
                    LOG.warn("pipeline={} final commit failed: {}", settings.name(), err.toString());
                    return Future.succeededFuture();
                })
                .compose(v -> Future.fromCompletionStage(loop.close(), context));
    }

    /** Completes {@code done} once nothing is in flight, the consumer thread has ended, or at {@code deadline}. */
    private void awaitDrained(long deadline, Promise<Void> done) {
        if (tracker.pending() == 0 || loop.ended()) {
            done.tryComplete();
            return;
        }
        drainWaiter = done;
        long t = vertx.setTimer(Math.max(1, deadline - System.currentTimeMillis()), id -> done.tryComplete());
        done.future().onComplete(ar -> {
            vertx.cancelTimer(t);
            drainWaiter = null;
        });
    }
}

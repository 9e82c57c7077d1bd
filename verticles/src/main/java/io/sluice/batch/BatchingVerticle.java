package io.sluice.batch;

import io.sluice.bus.Addresses;
import io.sluice.record.Batch;
import io.sluice.record.BatchOutcome;
import io.sluice.record.InRecord;
import io.sluice.record.RecordChunk;
import io.sluice.record.RevokeRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thin wiring around {@link Lanes}: takes record chunks from the consumer, sends closed batches to
 * dispatch (one in flight per lane), forwards each outcome to the consumer, and answers revocations
 * once the revoked partitions' in-flight batches are final or the bound has passed.
 */
public final class BatchingVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingVerticle.class);
    /** Dispatch answers only when every record is final; retries and DLQ writes can take long. */
    private static final long DISPATCH_REPLY_TIMEOUT_MS = 24L * 3600 * 1000;

    private static final long REDISPATCH_DELAY_MS = 500;
    /** The window of the batching figures in status. */
    private static final long STATS_WINDOW_MS = 2_000;

    private static final int STATUS_LANES = 5;

    private final BatchingSettings settings;
    private final Lanes lanes;
    private final List<RevokeWait> revokeWaits = new ArrayList<>();
    private long timerId = -1;
    private long timerAt = -1;
    private volatile int maxConcurrency;
    private final BatchStats stats = new BatchStats(nowMs());
    private volatile BatchStats.Snapshot snapshot;
    private long statsTimer = -1;

    /** A revocation waiting for in-flight batches of its partitions; answered with the records it dropped. */
    private static final class RevokeWait {
        final Set<TopicPartition> partitions;
        final Message<RevokeRequest> msg;
        long timerId = -1;
        int dropped;

        RevokeWait(Set<TopicPartition> partitions, Message<RevokeRequest> msg, int dropped) {
            this.partitions = partitions;
            this.msg = msg;
            this.dropped = dropped;
        }
    }

    public BatchingVerticle(BatchingSettings settings) {
        this.settings = settings;
        this.lanes = new Lanes(settings.batch(), settings.ordering(), settings.lanes(), settings.maxConcurrency());
        this.maxConcurrency = settings.maxConcurrency();
        this.snapshot = BatchStats.Snapshot.empty(settings.batch().mode().configName());
    }

    @Override
    public Future<?> start() {
        MessageConsumer<RecordChunk> records =
                vertx.eventBus().localConsumer(Addresses.batchRecords(settings.name()), m -> onChunk(m.body()));
        MessageConsumer<RevokeRequest> revoke =
                vertx.eventBus().localConsumer(Addresses.batchRevoke(settings.name()), this::onRevoke);
        MessageConsumer<BatchOutcome> progress =
                vertx.eventBus().localConsumer(Addresses.batchProgress(settings.name()), m -> onFinal(m.body()));
        statsTimer = vertx.setPeriodic(STATS_WINDOW_MS, id -> snapshot = stats.snapshot(nowMs(), lanes, STATUS_LANES));
        return Future.join(records.completion(), revoke.completion(), progress.completion());
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(statsTimer);
        return Future.succeededFuture();
    }

    /** Monotonic milliseconds: linger deadlines do not move with the wall clock. */
    private static long nowMs() {
        return System.nanoTime() / 1_000_000;
    }

    private void onChunk(RecordChunk chunk) {
        long now = nowMs();
        long staleBefore = lanes.staleDropped();
        for (InRecord r : chunk.records()) {
            lanes.add(r, now);
        }
        logStale(lanes.staleDropped() - staleBefore, "queued or arriving late");
        pump();
    }

    private void logStale(long n, String how) {
        if (n > 0) {
            LOG.info(
                    "pipeline={} dropped {} records of a revoked or superseded partition assignment, {} (the current "
                            + "owner reads them from the committed offset); {} so far",
                    settings.name(),
                    n,
                    how,
                    lanes.staleDropped());
        }
    }

    private void pump() {
        long now = nowMs();
        for (Batch b : lanes.ready(now)) {
            dispatch(b);
        }
        scheduleLinger();
    }

    private void scheduleLinger() {
        long deadline = lanes.nextDeadline();
        if (deadline < 0 || (timerId >= 0 && timerAt <= deadline)) {
            return;
        }
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        timerAt = deadline;
        timerId = vertx.setTimer(Math.max(1, deadline - nowMs()), id -> {
            timerId = -1;
            timerAt = -1;
            pump();
        });
    }

    private void dispatch(Batch b) {
        stats.sent(b);
        DeliveryOptions opts = new DeliveryOptions().setSendTimeout(DISPATCH_REPLY_TIMEOUT_MS);
        vertx.eventBus()
                .<BatchOutcome>request(Addresses.dispatch(settings.name()), b, opts)
                .onSuccess(reply -> onFinal(reply.body()))
                .onFailure(err -> {
                    // Dispatch did not take it (not deployed yet, or stopping): the records are not
                    // final; put them back in order and try again shortly.
                    LOG.warn(
                            "Dispatch of batch {} failed: {}; retrying in {} ms",
                            b.range(),
                            err.toString(),
                            REDISPATCH_DELAY_MS);
                    vertx.timer(REDISPATCH_DELAY_MS).onSuccess(v -> {
                        logStale(lanes.requeue(b, nowMs()), "in a batch back from a failed hand-off");
                        checkRevokeWaits();
                        pump();
                    });
                });
    }

    /** Slices of a batch are final (a progress report, or the answer): their lanes free, the consumer commits them. */
    private void onFinal(BatchOutcome outcome) {
        lanes.done(outcome.batch(), outcome.slices());
        vertx.eventBus().send(Addresses.completed(settings.name()), outcome);
        checkRevokeWaits();
        pump();
    }

    private void onRevoke(Message<RevokeRequest> msg) {
        Set<TopicPartition> tps = msg.body().partitions();
        int dropped = lanes.drop(tps);
        LOG.info("Revoking {}: dropped {} queued records (not committed, the next owner reads them)", tps, dropped);
        if (lanes.busy(tps) == 0) {
            msg.reply(dropped);
            return;
        }
        RevokeWait wait = new RevokeWait(tps, msg, dropped);
        wait.timerId = vertx.setTimer(Math.max(1, msg.body().timeoutMs()), id -> {
            revokeWaits.remove(wait);
            LOG.warn(
                    "Revocation of {}: in-flight batches not final within {} ms; committing what is final",
                    tps,
                    msg.body().timeoutMs());
            msg.reply(wait.dropped);
        });
        revokeWaits.add(wait);
    }

    private void checkRevokeWaits() {
        Iterator<RevokeWait> it = revokeWaits.iterator();
        while (it.hasNext()) {
            RevokeWait w = it.next();
            w.dropped += lanes.drop(w.partitions);
            if (lanes.busy(w.partitions) == 0) {
                vertx.cancelTimer(w.timerId);
                it.remove();
                w.msg.reply(w.dropped);
            }
        }
    }

    /**
     * Runtime change of the in-flight invocation limit (admin API {@code PUT /api/concurrency}): at most
     * {@code n} batches of this pipeline are in flight across all lanes. Lowering it lets in-flight batches
     * finish and sends no new one until the count is under the new limit; raising it sends at once.
     */
    public void maxConcurrency(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxConcurrency must be >= 1, got " + n);
        }
        maxConcurrency = n;
        context.runOnContext(v -> {
            lanes.maxInFlightBatches(n);
            pump();
        });
    }

    /** The in-flight invocation limit in effect (or about to be: set from another thread). */
    public int maxConcurrency() {
        return maxConcurrency;
    }

    /**
     * Batching over the last window of {@value #STATS_WINDOW_MS} ms: batches per second, mean size and fill time,
     * the lanes with the largest backlog (any thread).
     */
    public BatchStats.Snapshot stats() {
        return snapshot;
    }

    /** Runtime tuning of batch limits (admin API). */
    public void batchSettings(BatchSettings s) {
        context.runOnContext(v -> {
            lanes.settings(s);
            pump();
        });
    }
}

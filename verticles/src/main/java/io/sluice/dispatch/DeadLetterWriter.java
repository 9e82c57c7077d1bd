package io.sluice.dispatch;

import io.sluice.kafka.AsyncProducer;
import io.sluice.record.InRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records that cannot be delivered to the DLQ topic: original key, value and headers, plus
 * {@code sluice-source-topic}, {@code sluice-source-partition}, {@code sluice-source-offset},
 * {@code sluice-error-class}, {@code sluice-error-message}, {@code sluice-attempts},
 * {@code sluice-first-failure-ms}, {@code sluice-last-failure-ms}. A failed write is retried with
 * capped backoff until it succeeds: a record never becomes final before it is in the DLQ.
 *
 * <p>Redriven records ({@link RedriveAttempts}): the {@code sluice-redrive-*} headers are copied as they are (the
 * redrive increased the attempt when it re-produced the record); headers this writer adds are never doubled (a
 * record dead-lettered before carries new ones). A record whose redrive attempt is {@code >= redrive.maxAttempts}
 * goes to the parking topic instead, with {@code sluice-parked}.
 *
 * <p>While the DLQ topic is unavailable the log stays bounded: one WARN when the outage starts, then at most
 * one summary WARN per {@value #SUMMARY_INTERVAL_MS} ms ("DLQ topic X unavailable for N s: K record(s)
 * waiting, last error …"), and one INFO when every waiting record is written; single attempts are logged at
 * DEBUG. Once the producer is closed (the pipeline stops) a waiting write fails instead of retrying: its
 * record stays not final, its batch is not answered as done. {@link #health()} tells readiness whether the
 * topic is available. Thread-safe: one writer serves all the dispatch instances of a pipeline.
 */
public final class DeadLetterWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);
    public static final String H_SOURCE_TOPIC = "sluice-source-topic";
    public static final String H_SOURCE_PARTITION = "sluice-source-partition";
    public static final String H_SOURCE_OFFSET = "sluice-source-offset";
    public static final String H_ERROR_CLASS = "sluice-error-class";
    public static final String H_ERROR_MESSAGE = "sluice-error-message";
    public static final String H_ATTEMPTS = "sluice-attempts";
    public static final String H_FIRST_FAILURE = "sluice-first-failure-ms";
    public static final String H_LAST_FAILURE = "sluice-last-failure-ms";

    private final Vertx vertx;
    private final AsyncProducer producer;
    private final String topic;
    private final Backoff backoff;
    private final LongSupplier clock;
    private final long summaryIntervalMs;
    private final DlqOutage outage;
    private final int maxRedrives;
    private final String parkingTopic;
    /** Headers this writer sets; copies from an earlier trip through the DLQ are dropped, not doubled. */
    public static final java.util.Set<String> DLQ_HEADERS = java.util.Set.of(
            H_SOURCE_TOPIC,
            H_SOURCE_PARTITION,
            H_SOURCE_OFFSET,
            H_ERROR_CLASS,
            H_ERROR_MESSAGE,
            H_ATTEMPTS,
            H_FIRST_FAILURE,
            H_LAST_FAILURE,
            RedriveAttempts.H_PARKED);

    /** The least time between two WARN lines of one writer about an unavailable DLQ topic. */
    public static final long SUMMARY_INTERVAL_MS = 30_000;

    /** Why a record is dead-lettered. */
    public record Failure(String errorClass, String message, int attempts, long firstFailureMs, long lastFailureMs) {}

    /**
     * The DLQ topic as this writer sees it, for readiness.
     *
     * @param available          no record is waiting for a failed write to be retried
     * @param waitingRecords     records whose last write failed, to be retried (not final: their batches wait)
     * @param unavailableSinceMs wall-clock time of the first failure of the current outage; -1 when available
     * @param lastError          the last write error of the current outage; null when available
     */
    public record Health(boolean available, int waitingRecords, long unavailableSinceMs, String lastError) {}

    /** @param backoff between the attempts of one record's write (its cap bounds the wait) */
    public DeadLetterWriter(Vertx vertx, AsyncProducer producer, String topic, Backoff backoff) {
        this(vertx, producer, topic, backoff, RedriveSettings.DEFAULTS);
    }

    /** @param redrive where records that failed after their last redrive go ({@code pipelines[].redrive}) */
    public DeadLetterWriter(
            Vertx vertx, AsyncProducer producer, String topic, Backoff backoff, RedriveSettings redrive) {
        this(vertx, producer, topic, backoff, SUMMARY_INTERVAL_MS, System::currentTimeMillis, redrive);
    }

    /** For tests: another summary interval, and the clock it is measured on. */
    DeadLetterWriter(
            Vertx vertx,
            AsyncProducer producer,
            String topic,
            Backoff backoff,
            long summaryIntervalMs,
            LongSupplier clock) {
        this(vertx, producer, topic, backoff, summaryIntervalMs, clock, RedriveSettings.DEFAULTS);
    }

    private DeadLetterWriter(
            Vertx vertx,
            AsyncProducer producer,
            String topic,
            Backoff backoff,
            long summaryIntervalMs,
            LongSupplier clock,
            RedriveSettings redrive) {
        this.vertx = vertx;
        this.maxRedrives = redrive.maxAttempts();
        this.parkingTopic = redrive.parkingTopicFor(topic);
        this.producer = producer;
        this.topic = topic;
        this.backoff = backoff;
        this.clock = clock;
        this.summaryIntervalMs = summaryIntervalMs;
        this.outage = new DlqOutage(summaryIntervalMs);
    }

    /** Whether the DLQ topic is available, how many records wait for it, since when and why. Thread-safe. */
    public Health health() {
        return outage.health();
    }

    /** Completes (on {@code ctx}) once every record is acknowledged by the DLQ topic. */
    public Future<Void> write(Context ctx, List<InRecord> records, Failure failure) {
        List<Future<Void>> all = new ArrayList<>(records.size());
        for (InRecord r : records) {
            all.add(writeOne(ctx, r, failure, 1));
        }
        return Future.all(all).mapEmpty();
    }

    private Future<Void> writeOne(Context ctx, InRecord r, Failure f, int attempt) {
        return send(ctx, r, f).transform(ar -> {
            if (ar.succeeded()) {
                if (attempt > 1) {
                    log(outage.settled(clock.getAsLong(), true), r);
                }
                return Future.succeededFuture();
            }
            if (producer.isClosed()) { // the pipeline is stopping: it will never succeed; the record stays not final
                if (attempt > 1) {
                    log(outage.settled(clock.getAsLong(), false), r);
                }
                return Future.failedFuture(new IllegalStateException(
                        "DLQ producer closed: " + r.coordinates() + " not written to " + topic, ar.cause()));
            }
            String error = ar.cause().toString();
            long delay = Math.max(1, backoff.delayMs(attempt));
            log(outage.failed(clock.getAsLong(), attempt == 1, error), r);
            LOG.debug(
                    "DLQ write of {} to {} failed (attempt {}): {}; retrying in {} ms",
                    r.coordinates(),
                    topic,
                    attempt,
                    error,
                    delay);
            // on ctx (the failed send completes there), so the retry's timer and completion are ctx's too
            return vertx.timer(delay, TimeUnit.MILLISECONDS).compose(v -> writeOne(ctx, r, f, attempt + 1));
        });
    }

    private Future<Void> send(Context ctx, InRecord r, Failure f) {
        try {
            return producer.send(ctx, toDlq(r, f)).mapEmpty();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private void log(DlqOutage.Report rep, InRecord r) {
        if (rep == null) {
            return;
        }
        switch (rep.kind()) {
            case STARTED ->
                LOG.warn(
                        "DLQ topic {} unavailable: the write of {} failed: {}; retrying with backoff up to {} ms "
                                + "(records stay not final; a summary at most every {} s)",
                        topic,
                        r.coordinates(),
                        rep.lastError(),
                        backoff.ceilingMs(Integer.MAX_VALUE),
                        summaryIntervalMs / 1000);
            case ONGOING ->
                LOG.warn(
                        "DLQ topic {} unavailable for {} s: {} record(s) waiting, last error {}",
                        topic,
                        rep.unavailableForMs() / 1000,
                        rep.waitingRecords(),
                        rep.lastError());
            case RECOVERED -> {
                if (rep.givenUp() == 0) {
                    LOG.info(
                            "DLQ topic {} available again after {} s: {} record(s) written after retries",
                            topic,
                            rep.unavailableForMs() / 1000,
                            rep.writtenAfterRetry());
                } else {
                    LOG.info(
                            "DLQ topic {}: no record waits any more after {} s: {} written after retries, {} not written "
                                    + "(the producer closed; they stay not final)",
                            topic,
                            rep.unavailableForMs() / 1000,
                            rep.writtenAfterRetry(),
                            rep.givenUp());
                }
            }
        }
    }

    private ProducerRecord<byte[], byte[]> toDlq(InRecord r, Failure f) {
        RecordHeaders h = new RecordHeaders();
        int redriveAttempt = 0;
        for (InRecord.Header orig : r.headers()) {
            if (DLQ_HEADERS.contains(orig.name())) {
                continue;
            }
            if (RedriveAttempts.H_REDRIVE_ATTEMPT.equals(orig.name())) {
                redriveAttempt = RedriveAttempts.attemptOf(orig.value());
            }
            h.add(orig.name(), orig.value());
        }
        boolean park = RedriveAttempts.parked(redriveAttempt, maxRedrives);
        if (park) {
            h.add(
                    RedriveAttempts.H_PARKED,
                    utf8("failed again after redrive attempt " + redriveAttempt + " of " + maxRedrives));
            LOG.info(
                    "{} failed after redrive attempt {} of {}: parked in {}",
                    r.coordinates(),
                    redriveAttempt,
                    maxRedrives,
                    parkingTopic);
        }
        h.add(H_SOURCE_TOPIC, utf8(r.topic()));
        h.add(H_SOURCE_PARTITION, utf8(Integer.toString(r.partition())));
        h.add(H_SOURCE_OFFSET, utf8(Long.toString(r.offset())));
        h.add(H_ERROR_CLASS, utf8(f.errorClass()));
        h.add(H_ERROR_MESSAGE, utf8(f.message() == null ? "" : f.message()));
        h.add(H_ATTEMPTS, utf8(Integer.toString(f.attempts())));
        h.add(H_FIRST_FAILURE, utf8(Long.toString(f.firstFailureMs())));
        h.add(H_LAST_FAILURE, utf8(Long.toString(f.lastFailureMs())));
        return new ProducerRecord<>(park ? parkingTopic : topic, null, null, r.key(), r.value(), h);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package io.sluice.dispatch;

import io.sluice.kafka.AsyncProducer;
import io.sluice.pipeline.InRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes records that cannot be delivered to the DLQ topic: original key, value and headers, plus
 * {@code sluice-source-topic}, {@code sluice-source-partition}, {@code sluice-source-offset},
 * {@code sluice-error-class}, {@code sluice-error-message}, {@code sluice-attempts},
 * {@code sluice-first-failure-ms}, {@code sluice-last-failure-ms}. A failed write is retried with
 * capped backoff until it succeeds: a record never becomes final before it is in the DLQ.
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

    /** Why a record is dead-lettered. */
    public record Failure(String errorClass, String message, int attempts, long firstFailureMs, long lastFailureMs) {
    }

    public DeadLetterWriter(Vertx vertx, AsyncProducer producer, String topic, Backoff backoff) {
        this.vertx = vertx;
        this.producer = producer;
        this.topic = topic;
        this.backoff = backoff;
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
        return producer.send(ctx, toDlq(r, f)).<Void>mapEmpty().recover(err -> {
            long delay = backoff.delayMs(Math.min(attempt, 10));
            LOG.warn("DLQ write of {} to {} failed (attempt {}): {}; retrying in {} ms", r.coordinates(), topic, attempt,
                    err.toString(), delay);
            Promise<Void> p = Promise.promise();
            vertx.setTimer(Math.max(1, delay), id -> writeOne(ctx, r, f, attempt + 1).onComplete(p));
            return p.future();
        });
    }

    private ProducerRecord<byte[], byte[]> toDlq(InRecord r, Failure f) {
        RecordHeaders h = new RecordHeaders();
        for (InRecord.Header orig : r.headers()) {
            h.add(orig.name(), orig.value());
        }
        h.add(H_SOURCE_TOPIC, utf8(r.topic()));
        h.add(H_SOURCE_PARTITION, utf8(Integer.toString(r.partition())));
        h.add(H_SOURCE_OFFSET, utf8(Long.toString(r.offset())));
        h.add(H_ERROR_CLASS, utf8(f.errorClass()));
        h.add(H_ERROR_MESSAGE, utf8(f.message() == null ? "" : f.message()));
        h.add(H_ATTEMPTS, utf8(Integer.toString(f.attempts())));
        h.add(H_FIRST_FAILURE, utf8(Long.toString(f.firstFailureMs())));
        h.add(H_LAST_FAILURE, utf8(Long.toString(f.lastFailureMs())));
        return new ProducerRecord<>(topic, null, null, r.key(), r.value(), h);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

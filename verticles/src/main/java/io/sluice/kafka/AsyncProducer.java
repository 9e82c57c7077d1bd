package io.sluice.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * A Kafka producer that never blocks the event loop. {@code KafkaProducer.send} may block (metadata
 * fetch, full buffer) up to {@code max.block.ms}, so sends run in order on one dedicated thread; the
 * acknowledgement comes back on the caller's context. Thread-safe.
 */
public final class AsyncProducer implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;
    private final ExecutorService sender;

    public AsyncProducer(Producer<byte[], byte[]> producer, String threadName) {
        this.producer = producer;
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Sends; the future completes on {@code ctx} with the record's metadata, or fails. */
    public Future<RecordMetadata> send(Context ctx, ProducerRecord<byte[], byte[]> record) {
        Promise<RecordMetadata> p = Promise.promise();
        try {
            sender.execute(() -> {
                try {
                    producer.send(record, (md, err) -> ctx.runOnContext(v -> {
                        if (err != null) {
                            p.tryFail(err);
                        } else {
                            p.tryComplete(md);
                        }
                    }));
                } catch (RuntimeException e) {
                    ctx.runOnContext(v -> p.tryFail(e));
                }
            });
        } catch (RejectedExecutionException e) {
            p.fail(new IllegalStateException("producer closed"));
        }
        return p.future();
    }

    /** Flushes off the event loop (bounded by the producer's own timeouts); completes on {@code ctx}. */
    public Future<Void> flush(Context ctx) {
        Promise<Void> p = Promise.promise();
        try {
            sender.execute(() -> {
                try {
                    producer.flush();
                    ctx.runOnContext(v -> p.tryComplete());
                } catch (RuntimeException e) {
                    ctx.runOnContext(v -> p.tryFail(e));
                }
            });
        } catch (RejectedExecutionException e) {
            p.complete();
        }
        return p.future();
    }

    /** Closes the producer, waiting up to {@code timeout} for unsent records; blocking: call off the event loop. */
    public void close(Duration timeout) {
        sender.shutdown();
        try {
            sender.awaitTermination(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}

package io.sluice.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka producer that never blocks the event loop. {@code KafkaProducer.send} may block (metadata
 * fetch, full buffer) up to {@code max.block.ms}, so sends run in order on one dedicated thread; the
 * acknowledgement comes back on the caller's context. Thread-safe.
 *
 * <p>Hand-offs are batched both ways, so the cost per record does not include a thread wake-up or a
 * queue operation: records are queued by call (one entry for all the records of a {@link #sendAll}) and
 * the sender thread drains every queued entry per wake-up; when the last record of an entry has its
 * outcome, the entry is queued to the caller's context, which completes every queued entry by one
 * {@code runOnContext} per drain. Sends from one context reach Kafka in call order.
 */
public final class AsyncProducer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncProducer.class);
    /** Receives one record's outcome on the caller's context: metadata, or the error (the other is null). */
    @FunctionalInterface
    public interface Completion {
        void complete(RecordMetadata metadata, Throwable error);

        /**
         * What runs instead of {@link #complete(RecordMetadata, Throwable)}, with {@code ackedAtNanos}: {@link
         * System#nanoTime()} read once per hand-off back to the context and shared by every record of it, for a
         * caller that times acknowledgements without a clock read per record.
         */
        default void complete(RecordMetadata metadata, Throwable error, long ackedAtNanos) {
            complete(metadata, error);
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final ExecutorService sender;
    private final Queue<Group> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;

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
        send(ctx, record, (md, err) -> {
            if (err != null) {
                p.tryFail(err);
            } else {
                p.tryComplete(md);
            }
        });
        return p.future();
    }

    /** Sends; {@code done} runs on {@code ctx} exactly once, with the record's metadata or the error. */
    public void send(Context ctx, ProducerRecord<byte[], byte[]> record, Completion done) {
        sendAll(ctx, List.of(record), List.of(done));
    }

    /**
     * Sends {@code records} in list order, one hand-off for all of them; {@code done.get(i)} runs on {@code ctx}
     * exactly once with the outcome of {@code records.get(i)}. The completions run together, in list order,
     * once every record of the list has its outcome (one hand-off back for all of them).
     */
    public void sendAll(Context ctx, List<ProducerRecord<byte[], byte[]>> records, List<? extends Completion> done) {
        if (records.size() != done.size()) {
            throw new IllegalArgumentException(records.size() + " records but " + done.size() + " completions");
        }
        if (records.isEmpty()) {
            return;
        }
        queued.add(new Group(records, done, Acks.of(ctx, this)));
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                sender.execute(drainTask);
            } catch (RejectedExecutionException closed) {
                drainScheduled.set(false);
                Group g;
                while ((g = queued.poll()) != null) {
                    for (int i = 0; i < g.size(); i++) {
                        g.complete(i, null, new IllegalStateException("producer closed"));
                    }
                }
            }
        }
    }

    /** On the sender thread: sends everything queued so far, in order. */
    private void drain() {
        drainScheduled.set(false); // a record queued from now on schedules another drain
        Group g;
        while ((g = queued.poll()) != null) {
            Group group = g;
            for (int i = 0; i < group.size(); i++) {
                int index = i;
                try {
                    producer.send(group.records.get(i), (md, err) -> group.complete(index, md, err));
                } catch (RuntimeException e) {
                    group.complete(i, null, e);
                }
            }
        }
    }

    /** Flushes off the event loop (bounded by the producer's own timeouts); completes on {@code ctx}. */
    public Future<Void> flush(Context ctx) {
        Promise<Void> p = Promise.promise();
        try {
            sender.execute(() -> {
                try {
                    drain(); // records queued before the flush are sent before it
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

    /** True once {@link #close} has begun: every send from then on is answered "producer closed". */
    public boolean isClosed() {
        return sender.isShutdown();
    }

    /** Closes the producer, waiting up to {@code timeout} for unsent records; blocking: call off the event loop. */
    public void close(Duration timeout) {
        sender.shutdown();
        try {
            sender.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(timeout);
        scheduleDrain(); // anything queued after the last drain is answered "producer closed"
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /**
     * Records handed over together and their completions: the outcomes are filled in from Kafka's threads, and
     * the last one hands the whole group to its context.
     */
    private static final class Group {
        final List<ProducerRecord<byte[], byte[]>> records;
        final List<? extends Completion> done;
        final Acks acks;
        final RecordMetadata[] metadata;
        final Throwable[] errors;
        final AtomicInteger missing;

        Group(List<ProducerRecord<byte[], byte[]>> records, List<? extends Completion> done, Acks acks) {
            this.records = records;
            this.done = done;
            this.acks = acks;
            this.metadata = new RecordMetadata[records.size()];
            this.errors = new Throwable[records.size()];
            this.missing = new AtomicInteger(records.size());
        }

        int size() {
            return metadata.length;
        }

        /** Kafka calls each record's callback exactly once; the last outcome queues the group. */
        void complete(int index, RecordMetadata md, Throwable err) {
            metadata[index] = md;
            errors[index] = err;
            if (missing.decrementAndGet() == 0) { // the decrements publish every slot to the one that sees 0
                acks.add(this);
            }
        }

        /** On the context: every completion, in order. */
        void run(long ackedAtNanos) {
            for (int i = 0; i < metadata.length; i++) {
                try {
                    done.get(i).complete(metadata[i], errors[i], ackedAtNanos);
                } catch (RuntimeException e) { // one failing completion must not strand the others
                    LOG.error("A send completion failed", e);
                }
            }
        }
    }

    /**
     * The acknowledgements waiting to run on one context (one instance per context and producer, kept in
     * the context's data): queued from Kafka's I/O thread, completed by one {@code runOnContext} per drain.
     */
    private static final class Acks {
        private final Context ctx;
        private final Queue<Group> ready = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final Handler<Void> run = v -> run();

        private Acks(Context ctx) {
            this.ctx = ctx;
        }

        static Acks of(Context ctx, AsyncProducer owner) {
            Object existing = ctx.get(owner);
            if (existing instanceof Acks a) {
                return a;
            }
            synchronized (owner.drainScheduled) { // once per context: the first send from it
                Object again = ctx.get(owner);
                if (again instanceof Acks a) {
                    return a;
                }
                Acks a = new Acks(ctx);
                ctx.put(owner, a);
                return a;
            }
        }

        void add(Group g) {
            ready.add(g);
            if (scheduled.compareAndSet(false, true)) {
                ctx.runOnContext(run);
            }
        }

        private void run() {
            scheduled.set(false); // an ack queued from now on schedules another run
            long now = System.nanoTime();
            Group g;
            while ((g = ready.poll()) != null) {
                g.run(now);
            }
        }
    }
}

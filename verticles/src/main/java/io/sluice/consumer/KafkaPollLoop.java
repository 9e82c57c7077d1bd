package io.sluice.consumer;

import io.sluice.record.InRecord;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns a {@link Consumer}: every Kafka call happens here. Results are handed to
 * the verticle's context with {@code runOnContext}; the verticle sends commands (pause, resume,
 * commit, close) through a queue drained before each poll.
 *
 * <p>Rebalance callbacks run inside {@code poll} on this thread. On revocation the thread asks the
 * verticle (on its event loop) for the final offsets of the revoked partitions, waits for them
 * (bounded), and commits them synchronously before the partitions are released. Partitions assigned
 * while paused start paused. The poll loop never stops while paused, so the member stays in the group.
 */
final class KafkaPollLoop {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPollLoop.class);

    /** What the loop tells the verticle; every method is called on the verticle's context. */
    public interface Listener {
        void onAssigned(Map<TopicPartition, long[]> epochAndCommitted);

        /** Complete {@code finalOffsets} with the offsets to commit for {@code partitions} (within the bound). */
        void onRevoking(Set<TopicPartition> partitions, CompletableFuture<Map<TopicPartition, Long>> finalOffsets);

        void onLost(Set<TopicPartition> partitions);

        void onRecords(Polled polled);

        void onCommitted(Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> epochs, Throwable failure);

        void onFatal(Throwable error);
    }

    /** One poll's records, converted off the event loop. Offsets/timestamps per partition, ascending. */
    public record Polled(
            List<InRecord> records,
            Map<TopicPartition, Long> epochs,
            Map<TopicPartition, long[]> offsets,
            Map<TopicPartition, long[]> timestamps,
            Map<TopicPartition, int[]> sizes) {}

    private final Supplier<Consumer<byte[], byte[]>> factory;
    private final Collection<String> topics;
    private final Context context;
    private final Listener listener;
    private final long revokeWaitMs;
    private final Duration pollTimeout;
    private final Duration closeTimeout;
    private final CommandQueue<Consumer<byte[], byte[]>> commands = new CommandQueue<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Map<TopicPartition, Long> epochs = new HashMap<>();
    /** Which fetched records may be redeliveries (consumer thread only). */
    private final RedeliveryMarks redelivery = new RedeliveryMarks();

    private volatile boolean running = true;
    private volatile Consumer<byte[], byte[]> consumer;
    private boolean pausedAll;
    /** Partitions paused one by one (over their in-flight share); consumer thread only. */
    private final Set<TopicPartition> pausedOnes = new HashSet<>();

    private long nextEpoch = 1;
    private Thread thread;
    private final io.sluice.tracing.PollTrace pollTrace;

    /**
     * @param closeTimeout how long closing the consumer may wait (leave the group, pending commits); bounded so a
     *                     dead broker cannot hold a stop
     */
    public KafkaPollLoop(
            Supplier<Consumer<byte[], byte[]>> factory,
            Collection<String> topics,
            Context context,
            Listener listener,
            long revokeWaitMs,
            Duration pollTimeout,
            Duration closeTimeout) {
        this.factory = factory;
        this.topics = List.copyOf(topics);
        this.context = context;
        this.listener = listener;
        this.revokeWaitMs = revokeWaitMs;
        this.pollTimeout = pollTimeout;
        this.closeTimeout = closeTimeout;
        this.pollTrace = new io.sluice.tracing.PollTrace(
                io.sluice.tracing.Tracing.of(context.owner()), String.join(",", topics));
    }

    /** Starts the thread; the returned future completes once the consumer is created and subscribed. */
    public CompletableFuture<Void> start(String threadName) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        thread = new Thread(() -> run(started), threadName);
        thread.setDaemon(true);
        thread.start();
        return started;
    }

    private void run(CompletableFuture<Void> started) {
        try {
            consumer = factory.get();
            consumer.subscribe(topics, new RebalanceListener());
            started.complete(null);
        } catch (RuntimeException e) {
            started.completeExceptionally(e);
            if (consumer != null) {
                closeQuietly();
            }
            end(new IllegalStateException("the Kafka consumer could not start: " + e, e));
            return;
        }
        Throwable fatal = null;
        try {
            while (running) {
                drainCommands();
                ConsumerRecords<byte[], byte[]> records;
                long pollStart = pollTrace.started();
                try {
                    records = consumer.poll(pollTimeout);
                } catch (WakeupException e) {
                    continue;
                }
                if (!records.isEmpty()) {
                    Polled polled = convert(records);
                    pollTrace.polled(pollStart, polled.records());
                    context.runOnContext(v -> listener.onRecords(polled));
                }
            }
            drainCommands();
        } catch (RuntimeException | Error e) {
            fatal = e;
            LOG.error("Kafka poll loop failed: {}", e.toString(), e);
        } finally {
            closeQuietly();
            end(
                    fatal == null
                            ? new IllegalStateException("the Kafka consumer is closed")
                            : new IllegalStateException("the Kafka consumer failed: " + fatal, fatal));
            if (fatal != null) {
                Throwable cause = fatal;
                context.runOnContext(v -> listener.onFatal(cause));
            }
        }
    }

    private void closeQuietly() {
        try {
            consumer.close(closeTimeout);
        } catch (RuntimeException e) {
            LOG.warn("Closing the Kafka consumer failed: {}", e.toString());
        }
    }

    /** No command runs from now on: every queued and later one fails with {@code reason}. */
    private void end(Throwable reason) {
        commands.end(reason);
        closed.complete(null);
    }

    /** True once the loop no longer runs commands (fatal error or closed). */
    public boolean ended() {
        return commands.ended();
    }

    private void drainCommands() {
        commands.runAll(
                consumer, WakeupException.class); // close() woke the consumer up: the loop ends after this drain
    }

    private Polled convert(ConsumerRecords<byte[], byte[]> records) {
        List<InRecord> out = new ArrayList<>(records.count());
        Map<TopicPartition, long[]> offsets = new HashMap<>();
        Map<TopicPartition, long[]> timestamps = new HashMap<>();
        Map<TopicPartition, int[]> sizes = new HashMap<>();
        Map<TopicPartition, Long> epochOf = new HashMap<>();
        long now = System.currentTimeMillis();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
            long epoch = epochs.getOrDefault(tp, -1L);
            long suspectBelow = redelivery.suspectBelow(tp);
            long[] offs = new long[list.size()];
            long[] ts = new long[list.size()];
            int[] sz = new int[list.size()];
            int i = 0;
            for (ConsumerRecord<byte[], byte[]> r : list) {
                InRecord rec = r.offset() < suspectBelow
                        ? RecordConversion.toSuspectInRecord(r, epoch, now)
                        : RecordConversion.toInRecord(r, epoch, now);
                out.add(rec);
                offs[i] = r.offset();
                ts[i] = r.timestamp();
                sz[i] = rec.rawBytes();
                i++;
            }
            redelivery.fetched(tp, offs[offs.length - 1]);
            offsets.put(tp, offs);
            timestamps.put(tp, ts);
            sizes.put(tp, sz);
            epochOf.put(tp, epoch);
        }
        return new Polled(out, epochOf, offsets, timestamps, sizes);
    }

    /** Pauses every assigned partition (and partitions assigned later) until {@link #resumeAll()}. */
    public void pauseAll() {
        commands.submit(action(c -> {
            pausedAll = true;
            c.pause(c.assignment());
        }));
    }

    /** Resumes what {@link #pauseAll()} paused; partitions paused one by one stay paused. */
    public void resumeAll() {
        commands.submit(action(c -> {
            pausedAll = false;
            Set<TopicPartition> resume = new HashSet<>(c.paused());
            resume.removeAll(pausedOnes);
            c.resume(resume);
        }));
    }

    /** Pauses these partitions (those still assigned) until {@link #resumePartitions}, whatever pauseAll does. */
    public void pausePartitions(Set<TopicPartition> partitions) {
        Set<TopicPartition> tps = Set.copyOf(partitions);
        commands.submit(action(c -> {
            pausedOnes.addAll(tps);
            c.pause(assignedOf(c, tps));
        }));
    }

    /** Resumes partitions paused by {@link #pausePartitions} (unless everything is paused). */
    public void resumePartitions(Set<TopicPartition> partitions) {
        Set<TopicPartition> tps = Set.copyOf(partitions);
        commands.submit(action(c -> {
            pausedOnes.removeAll(tps);
            if (!pausedAll) {
                c.resume(assignedOf(c, tps));
            }
        }));
    }

    private static Set<TopicPartition> assignedOf(Consumer<byte[], byte[]> c, Set<TopicPartition> tps) {
        Set<TopicPartition> out = new HashSet<>(tps);
        out.retainAll(c.assignment());
        return out;
    }

    /**
     * Asynchronous commit; the result comes back through {@link Listener#onCommitted} (a failure at once when
     * the loop has ended).
     */
    public void commitAsync(Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> epochsOfOffsets) {
        commands.submit(new CommandQueue.Command<>() {
            @Override
            public void run(Consumer<byte[], byte[]> c) {
                c.commitAsync(
                        toMeta(offsets),
                        (done, err) -> context.runOnContext(v -> listener.onCommitted(offsets, epochsOfOffsets, err)));
            }

            @Override
            public void fail(Throwable error) {
                context.runOnContext(v -> listener.onCommitted(offsets, epochsOfOffsets, error));
            }
        });
    }

    /** Synchronous commit on the consumer thread (used at shutdown), bounded by {@code timeout}. */
    public CompletableFuture<Void> commitSync(Map<TopicPartition, Long> offsets, Duration timeout) {
        return call(c -> {
            if (!offsets.isEmpty()) {
                c.commitSync(toMeta(offsets), timeout);
            }
            return null;
        });
    }

    /**
     * Runs {@code fn} on the consumer thread; the future fails at once when the loop has ended. {@code fn}
     * must not make network round trips: it delays the next poll.
     */
    public <T> CompletableFuture<T> call(java.util.function.Function<Consumer<byte[], byte[]>, T> fn) {
        CompletableFuture<T> f = new CompletableFuture<>();
        commands.submit(new CommandQueue.Command<>() {
            @Override
            public void run(Consumer<byte[], byte[]> c) {
                try {
                    f.complete(fn.apply(c));
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            }

            @Override
            public void fail(Throwable error) {
                f.completeExceptionally(error);
            }
        });
        return f;
    }

    private static CommandQueue.Command<Consumer<byte[], byte[]>> action(
            java.util.function.Consumer<Consumer<byte[], byte[]>> body) {
        return new CommandQueue.Command<>() {
            @Override
            public void run(Consumer<byte[], byte[]> c) {
                body.accept(c);
            }

            @Override
            public void fail(Throwable error) {
                // nothing waits for it: a pause or resume of an ended loop has nothing to act on
            }
        };
    }

    /**
     * New assignment epochs for {@code partitions} (a replay moved them): records and completions of the old epoch
     * are stale from now on. Consumer thread only (inside {@link #call}).
     */
    Map<TopicPartition, Long> renewEpochs(Set<TopicPartition> partitions) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long epoch = nextEpoch++;
            epochs.put(tp, epoch);
            out.put(tp, epoch);
        }
        return out;
    }

    /** Stops polling, closes the consumer (leaving the group); completes when closed. */
    public CompletableFuture<Void> close() {
        running = false;
        wakeup();
        if (thread == null) {
            end(new IllegalStateException("the Kafka consumer was never started"));
        }
        return closed;
    }

    private void wakeup() {
        Consumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> toMeta(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
        offsets.forEach((tp, o) -> m.put(tp, new OffsetAndMetadata(o)));
        return m;
    }

    private final class RebalanceListener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            if (pausedAll) {
                consumer.pause(partitions);
            }
            Map<TopicPartition, OffsetAndMetadata> committed;
            try {
                committed = consumer.committed(new HashSet<>(partitions), Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.warn("Reading committed offsets of {} failed: {}", partitions, e.toString());
                committed = Map.of();
            }
            Map<TopicPartition, Long> ends;
            try {
                ends = consumer.endOffsets(new HashSet<>(partitions), Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.warn(
                        "Reading end offsets of {} failed: {} (all their records are marked as possible redeliveries)",
                        partitions,
                        e.toString());
                ends = Map.of();
            }
            Map<TopicPartition, long[]> assigned = new HashMap<>();
            for (TopicPartition tp : partitions) {
                redelivery.assigned(tp, ends.getOrDefault(tp, -1L));
                long epoch = nextEpoch++;
                epochs.put(tp, epoch);
                OffsetAndMetadata om = committed.get(tp);
                assigned.put(tp, new long[] {epoch, om == null ? -1 : om.offset()});
            }
            LOG.info("Assigned {} (paused={})", partitions, pausedAll);
            context.runOnContext(v -> listener.onAssigned(assigned));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Set<TopicPartition> revoked = Set.copyOf(partitions);
            if (!running) {
                // Closing: the stop already committed the final offsets (or could not: the broker is gone, and
                // trying again here would only hold the close for the commit's whole timeout).
                revoked.forEach(epochs::remove);
                LOG.debug("Closing: released {} without another commit", revoked);
                return;
            }
            CompletableFuture<Map<TopicPartition, Long>> finalOffsets = new CompletableFuture<>();
            context.runOnContext(v -> listener.onRevoking(revoked, finalOffsets));
            Map<TopicPartition, Long> offsets;
            try {
                offsets = finalOffsets.get(revokeWaitMs + 5_000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn(
                        "No final offsets for revoked {} within {} ms; nothing committed for them (records will be redelivered)",
                        revoked,
                        revokeWaitMs + 5_000);
                offsets = Map.of();
            }
            try {
                if (!offsets.isEmpty()) {
                    consumer.commitSync(toMeta(offsets), Duration.ofSeconds(10));
                }
                LOG.info("Revoked {}; committed {} before release", revoked, offsets);
            } catch (RuntimeException e) {
                LOG.warn("Commit on revocation of {} failed: {} (records will be redelivered)", revoked, e.toString());
            }
            revoked.forEach(epochs::remove);
            pausedOnes.removeAll(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Set<TopicPartition> lost = Set.copyOf(partitions);
            lost.forEach(epochs::remove);
            pausedOnes.removeAll(lost);
            LOG.warn("Lost {} (no commit possible)", lost);
            context.runOnContext(v -> listener.onLost(lost));
        }
    }
}

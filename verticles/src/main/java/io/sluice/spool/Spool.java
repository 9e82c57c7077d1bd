package io.sluice.spool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A durable local spool: a {@link SegmentLog} owned by one dedicated thread, so every file operation runs off
 * the caller's thread (an event loop never blocks on it); results complete {@link CompletableFuture}s on that
 * thread (hop back to your own context). Thread-safe.
 *
 * <p>Appends are group-committed: every append queued while the thread is busy is written in one go, then
 * forced once ({@link Fsync#BATCH}), or forced at most every {@code intervalMs} ({@link Fsync#INTERVAL}). An
 * append's future completes {@code true} only after the force that covers it: what it reports is on the storage
 * device. Over the quota it completes {@code false} and nothing of it is written.
 */
public final class Spool implements AutoCloseable {
    /** When appended entries are forced to the device (an append is answered only after its force). */
    public enum Fsync {
        BATCH,
        INTERVAL
    }

    /**
     * @param directory    where the segment files live (created when missing)
     * @param maxBytes     quota over every live segment file
     * @param segmentBytes the size at which a segment is closed and a new one started
     * @param fsync        the force policy
     * @param intervalMs   with {@link Fsync#INTERVAL}: the longest time between forces
     */
    public record Options(Path directory, long maxBytes, long segmentBytes, Fsync fsync, long intervalMs) {
        public Options {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(fsync, "fsync");
        }
    }

    /** A consistent view of the spool's counters (read from any thread). */
    public record Stats(
            long bytes,
            long pendingEntries,
            long oldestAppendedAtMs,
            long corruptRegions,
            long syncs,
            long appendedEntries) {}

    private record Append(List<byte[]> entries, CompletableFuture<Boolean> done) {}

    private final SegmentLog log;
    private final Options options;
    private final LongSupplier clock;
    private final ScheduledExecutorService thread;
    private final Queue<Append> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writeScheduled = new AtomicBoolean();
    private final List<CompletableFuture<Boolean>> awaitingSync = new ArrayList<>();
    private boolean syncScheduled;
    private long lastSyncMs;
    private long syncs;
    private long appended;
    private volatile Stats stats;

    private Spool(SegmentLog log, Options options, LongSupplier clock, String threadName) {
        this.log = log;
        this.options = options;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        refreshStats();
    }

    /**
     * Opens the spool (blocking: reads back every pending entry to count them; call off an event loop).
     *
     * @param threadName the name of the spool's own thread
     */
    public static Spool open(Options options, String threadName) {
        return new Spool(
                SegmentLog.open(options.directory(), options.maxBytes(), options.segmentBytes()),
                options,
                System::currentTimeMillis,
                threadName);
    }

    public Options options() {
        return options;
    }

    /** The latest counters (updated after every operation). */
    public Stats stats() {
        return stats;
    }

    /**
     * Appends {@code entries} in order, after everything appended before; completes {@code true} once they are
     * forced to the device, {@code false} when they do not fit the quota (nothing written), exceptionally on an
     * I/O error.
     */
    public CompletableFuture<Boolean> append(List<byte[]> entries) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        queued.add(new Append(entries, done));
        if (writeScheduled.compareAndSet(false, true)) {
            run(this::writeQueued, done);
        }
        return done;
    }

    private void writeQueued() {
        writeScheduled.set(false);
        Append a;
        long now = clock.getAsLong();
        List<CompletableFuture<Boolean>> written = new ArrayList<>();
        while ((a = queued.poll()) != null) {
            try {
                if (log.append(a.entries(), now)) {
                    appended += a.entries().size();
                    written.add(a.done());
                } else {
                    refreshStats();
                    a.done().complete(false);
                }
            } catch (RuntimeException e) {
                a.done().completeExceptionally(e);
            }
        }
        awaitingSync.addAll(written);
        if (options.fsync() == Fsync.BATCH) {
            syncNow();
        } else if (!syncScheduled && !awaitingSync.isEmpty()) {
            long wait = Math.max(0, lastSyncMs + options.intervalMs() - now);
            syncScheduled = true;
            thread.schedule(this::syncNow, wait, TimeUnit.MILLISECONDS);
        }
        refreshStats();
    }

    private void syncNow() {
        syncScheduled = false;
        List<CompletableFuture<Boolean>> done = new ArrayList<>(awaitingSync);
        awaitingSync.clear();
        try {
            log.sync();
            syncs++;
            lastSyncMs = clock.getAsLong();
            refreshStats(); // before the answers: a caller that saw its append done sees it counted
            done.forEach(f -> f.complete(true));
        } catch (RuntimeException e) {
            refreshStats();
            done.forEach(f -> f.completeExceptionally(e));
        }
    }

    /** Reads up to {@code maxEntries} of the oldest unread entries (about {@code maxBytes} at most); empty when none. */
    public CompletableFuture<List<SegmentLog.Entry>> read(int maxEntries, long maxBytes) {
        return call(() -> log.read(maxEntries, maxBytes));
    }

    /** Marks the entries up to {@code end} ({@code count} of them) drained; their space is freed segment by segment. */
    public CompletableFuture<Void> commit(SegmentLog.Position end, int count) {
        return call(() -> {
            log.commit(end, count);
            return null;
        });
    }

    /** The next read starts again at the last commit. */
    public CompletableFuture<Void> rewind() {
        return call(() -> {
            log.rewind();
            return null;
        });
    }

    private <T> CompletableFuture<T> call(java.util.concurrent.Callable<T> op) {
        CompletableFuture<T> f = new CompletableFuture<>();
        run(
                () -> {
                    T result;
                    try {
                        result = op.call();
                    } catch (Exception e) {
                        refreshStats();
                        f.completeExceptionally(e);
                        return;
                    }
                    refreshStats();
                    f.complete(result);
                },
                f);
        return f;
    }

    private void run(Runnable r, CompletableFuture<?> orFail) {
        try {
            thread.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            orFail.completeExceptionally(new IllegalStateException("the spool is closed"));
            Append a;
            while ((a = queued.poll()) != null) {
                a.done().completeExceptionally(new IllegalStateException("the spool is closed"));
            }
        }
    }

    private void refreshStats() {
        stats = new Stats(
                log.bytes(), log.pendingEntries(), log.oldestAppendedAtMs(), log.corruptRegions(), syncs, appended);
    }

    /** Writes and forces what is queued, closes the files and stops the thread (waits up to 10 s). */
    @Override
    public void close() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    writeQueued();
                    syncNow();
                    log.close();
                    closed.complete(null);
                } catch (RuntimeException e) {
                    closed.completeExceptionally(e);
                }
            });
            closed.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("closing the spool in " + options.directory() + " failed", e);
        } finally {
            thread.shutdownNow();
        }
    }
}

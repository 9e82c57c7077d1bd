package io.sluice.batch;

import io.sluice.hash.Murmur3;

import io.sluice.pipeline.Batch;
import io.sluice.pipeline.InRecord;
import io.sluice.pipeline.Ordering;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-lane record queues and the decision of when a batch closes. A lane is a partition (partition
 * ordering) or a key-hash slice of a partition (key ordering). At most one batch per lane is in flight,
 * so records of one lane — and so of one key — reach the function in offset order. A batch closes on
 * count, on bytes (estimated Lambda payload), or when its first record has waited {@code lingerMs};
 * at most {@code maxInFlightBatches} batches are in flight across all lanes.
 *
 * <p>Fair service: lanes are kept in service order, least recently served first, and a lane that gets a
 * batch moves to the end. When more lanes are ready than the in-flight limit allows, every ready lane
 * is served before any lane is served twice, whichever lanes keep refilling.
 *
 * <p>Assignment epochs: a batch holds records of one epoch only. Per partition the newest epoch seen
 * is remembered; records of an older epoch (and, after {@link #drop(Set)}, of the revoked one) belong to
 * an assignment that is gone — the next owner re-reads them from the committed offset — so they are
 * dropped when they arrive, when a newer epoch arrives while they are queued, and when a batch of them
 * is {@linkplain #requeue(Batch, long) requeued}; {@link #staleDropped()} counts them.
 *
 * <p>Pure logic: no I/O, no timers; the caller passes the clock and sets a timer for
 * {@link #nextDeadline()}. Confined to one thread.
 */
public final class Lanes {
    /** Seed of the key hash that picks a record's lane (kept: changing it would move keys between lanes). */
    private static final int LANE_SEED = 0x9747b28c;
    /** Bytes of the event envelope around the records (eventSource, bootstrapServers, record map keys). */
    public static final int ENVELOPE_BYTES = 512;

    private final Ordering ordering;
    private final int laneCount;
    /** Service order: least recently served first; a served lane is moved to the end. */
    private final Map<LaneKey, Lane> lanes = new LinkedHashMap<>();
    private final Map<TopicPartition, Assignment> assignments = new HashMap<>();
    private BatchSettings settings;
    private int maxInFlightBatches;
    private int inFlightBatches;
    private long nextBatchId = 1;
    private long staleDropped;

    /** A lane's identity. */
    public record LaneKey(TopicPartition tp, int lane) {
    }

    private static final class Lane {
        final LaneKey key;
        final ArrayDeque<InRecord> queue = new ArrayDeque<>();
        long queuedPayloadBytes;
        long firstQueuedAt = -1;
        boolean busy;

        Lane(LaneKey key) {
            this.key = key;
        }
    }

    /** The newest assignment epoch seen for a partition, and whether it has been revoked since. */
    private static final class Assignment {
        long epoch;
        boolean revoked;

        Assignment(long epoch) {
            this.epoch = epoch;
        }

        boolean isStale(long recordEpoch) {
            return recordEpoch < epoch || (recordEpoch == epoch && revoked);
        }
    }

    private record Pick(Lane lane, String reason) {
    }

    /**
     * @param laneCount          lanes per partition in key ordering (ignored in partition ordering: one lane)
     * @param maxInFlightBatches batches in flight at most, across all lanes
     */
    public Lanes(BatchSettings settings, Ordering ordering, int laneCount, int maxInFlightBatches) {
        this.settings = settings;
        this.ordering = ordering;
        this.laneCount = ordering == Ordering.KEY ? laneCount : 1;
        this.maxInFlightBatches = maxInFlightBatches;
    }

    /** New batch limits; they apply to records already queued from the next {@link #ready(long)}. */
    public void settings(BatchSettings s) {
        this.settings = s;
    }

    /** The batch limits in effect. */
    public BatchSettings settings() {
        return settings;
    }

    /** New in-flight limit; batches already in flight over it finish, no new one goes out until under it. */
    public void maxInFlightBatches(int n) {
        this.maxInFlightBatches = n;
    }

    /** The in-flight limit in effect. */
    public int maxInFlightBatches() {
        return maxInFlightBatches;
    }

    /** Batches taken by {@link #ready(long)} or {@link #flush()} and not yet done or requeued. */
    public int inFlightBatches() {
        return inFlightBatches;
    }

    /** Records dropped so far because their assignment epoch was stale (older than the newest, or revoked). */
    public long staleDropped() {
        return staleDropped;
    }

    /** Stable lane of a record: 0 in partition ordering, key hash mod lanes in key ordering. */
    public int laneOf(InRecord r) {
        if (laneCount == 1) {
            return 0;
        }
        if (r.key() == null) {
            return (int) (r.offset() % laneCount);
        }
        return Math.floorMod(Murmur3.hash32(r.key(), LANE_SEED), laneCount);
    }

    /**
     * Queues a record at the end of its lane. A record of a stale epoch is dropped (and counted); a
     * record of a newer epoch than the partition's newest first drops the partition's queued records.
     */
    public void add(InRecord r, long nowMs) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        Assignment a = assignments.get(tp);
        if (a == null) {
            assignments.put(tp, new Assignment(r.epoch()));
        } else if (r.epoch() > a.epoch) {
            a.epoch = r.epoch();
            a.revoked = false;
            staleDropped += clearQueues(Set.of(tp));
        } else if (a.isStale(r.epoch())) {
            staleDropped++;
            return;
        }
        LaneKey k = new LaneKey(tp, laneOf(r));
        Lane lane = lanes.computeIfAbsent(k, Lane::new);
        if (lane.queue.isEmpty()) {
            lane.firstQueuedAt = nowMs;
        }
        lane.queue.addLast(r);
        lane.queuedPayloadBytes += r.payloadBytes();
    }

    /**
     * Batches that should be sent now, least recently served lanes first, up to the in-flight limit;
     * their lanes become busy until {@link #done(Batch)} or {@link #requeue(Batch, long)}.
     */
    public List<Batch> ready(long nowMs) {
        return serve(nowMs, false);
    }

    /**
     * Every queued record, as batches, ignoring linger (graceful stop); still one in flight per lane,
     * within the in-flight limit, and in the same fair order as {@link #ready(long)}.
     */
    public List<Batch> flush() {
        return serve(0, true);
    }

    private List<Batch> serve(long nowMs, boolean flush) {
        int free = maxInFlightBatches - inFlightBatches;
        if (free <= 0) {
            return List.of();
        }
        List<Pick> picks = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            if (picks.size() >= free) {
                break;
            }
            if (lane.busy || lane.queue.isEmpty()) {
                continue;
            }
            String reason = flush ? "flush" : closeReason(lane, nowMs);
            if (reason != null) {
                picks.add(new Pick(lane, reason));
            }
        }
        List<Batch> out = new ArrayList<>(picks.size());
        for (Pick p : picks) {
            out.add(take(p.lane, p.reason));
            lanes.remove(p.lane.key);
            lanes.put(p.lane.key, p.lane); // to the end of the service order
        }
        return out;
    }

    private String closeReason(Lane lane, long nowMs) {
        if (lane.queue.size() >= settings.maxRecords()) {
            return "count";
        }
        if (lane.queuedPayloadBytes + ENVELOPE_BYTES >= settings.maxBytes()) {
            return "bytes";
        }
        if (nowMs - lane.firstQueuedAt >= settings.lingerMs()) {
            return "linger";
        }
        return null;
    }

    private Batch take(Lane lane, String reason) {
        List<InRecord> records = new ArrayList<>(Math.min(lane.queue.size(), settings.maxRecords()));
        InRecord head = lane.queue.peekFirst();
        int bytes = ENVELOPE_BYTES;
        if (head.payloadBytes() + ENVELOPE_BYTES > settings.maxBytes()) {
            records.add(lane.queue.pollFirst());
            bytes += head.payloadBytes();
            reason = "too-large";
        } else {
            while (!lane.queue.isEmpty() && records.size() < settings.maxRecords()) {
                InRecord r = lane.queue.peekFirst();
                if (bytes + r.payloadBytes() > settings.maxBytes() || r.epoch() != head.epoch()) {
                    break;
                }
                records.add(lane.queue.pollFirst());
                bytes += r.payloadBytes();
            }
        }
        lane.queuedPayloadBytes -= bytes - ENVELOPE_BYTES;
        lane.firstQueuedAt = lane.queue.isEmpty() ? -1 : lane.firstQueuedAt;
        lane.busy = true;
        inFlightBatches++;
        return new Batch(nextBatchId++, lane.key.tp().topic(), lane.key.tp().partition(), lane.key.lane(), records,
                bytes, reason);
    }

    /** The batch's lane is free again. */
    public void done(Batch b) {
        Lane lane = lanes.get(laneKey(b));
        inFlightBatches--;
        if (lane != null) {
            lane.busy = false;
            if (lane.queue.isEmpty()) {
                lanes.remove(lane.key);
            }
        }
    }

    /**
     * Puts a batch that could not be handed to dispatch back at the head of its lane, due at once (it
     * has lingered already). Its records of a stale epoch — the partition was revoked or re-assigned
     * since — are dropped instead.
     *
     * @return how many of its records were dropped as stale
     */
    public int requeue(Batch b, long nowMs) {
        LaneKey k = laneKey(b);
        inFlightBatches--;
        Assignment a = assignments.get(k.tp());
        List<InRecord> keep = new ArrayList<>(b.records().size());
        for (InRecord r : b.records()) {
            if (a == null || !a.isStale(r.epoch())) {
                keep.add(r);
            }
        }
        int dropped = b.records().size() - keep.size();
        staleDropped += dropped;
        Lane lane = lanes.get(k);
        if (lane == null) {
            if (keep.isEmpty()) {
                return dropped;
            }
            lane = new Lane(k);
            lanes.put(k, lane);
        }
        lane.busy = false;
        for (int i = keep.size() - 1; i >= 0; i--) {
            lane.queue.addFirst(keep.get(i));
            lane.queuedPayloadBytes += keep.get(i).payloadBytes();
        }
        if (!keep.isEmpty()) {
            long due = nowMs - settings.lingerMs();
            lane.firstQueuedAt = lane.firstQueuedAt < 0 ? due : Math.min(lane.firstQueuedAt, due);
        }
        if (lane.queue.isEmpty()) {
            lanes.remove(k);
        }
        return dropped;
    }

    /**
     * When the earliest linger deadline of an idle lane passes, or -1 if none waits — or if the
     * in-flight limit is reached: then nothing can be sent before a {@link #done(Batch)}.
     */
    public long nextDeadline() {
        if (inFlightBatches >= maxInFlightBatches) {
            return -1;
        }
        long min = -1;
        for (Lane lane : lanes.values()) {
            if (!lane.busy && !lane.queue.isEmpty()) {
                long d = lane.firstQueuedAt + settings.lingerMs();
                if (min < 0 || d < min) {
                    min = d;
                }
            }
        }
        return min;
    }

    /**
     * Drops queued records of these partitions (revoked or lost); returns how many were dropped. Their
     * current assignment is over: records of it that arrive or are requeued later are dropped as stale.
     */
    public int drop(Set<TopicPartition> tps) {
        for (TopicPartition tp : tps) {
            Assignment a = assignments.get(tp);
            if (a != null) {
                a.revoked = true;
            }
        }
        return clearQueues(tps);
    }

    private int clearQueues(Set<TopicPartition> tps) {
        int n = 0;
        Iterator<Lane> it = lanes.values().iterator();
        while (it.hasNext()) {
            Lane lane = it.next();
            if (tps.contains(lane.key.tp())) {
                n += lane.queue.size();
                lane.queue.clear();
                lane.queuedPayloadBytes = 0;
                lane.firstQueuedAt = -1;
                if (!lane.busy) {
                    it.remove();
                }
            }
        }
        return n;
    }

    /** Batches of these partitions currently in flight. */
    public int busy(Set<TopicPartition> tps) {
        int n = 0;
        for (Lane lane : lanes.values()) {
            if (lane.busy && tps.contains(lane.key.tp())) {
                n++;
            }
        }
        return n;
    }

    /** Records queued in all lanes, not yet in a batch. */
    public int queuedRecords() {
        int n = 0;
        for (Lane lane : lanes.values()) {
            n += lane.queue.size();
        }
        return n;
    }

    private static LaneKey laneKey(Batch b) {
        return new LaneKey(new TopicPartition(b.topic(), b.partition()), b.lane());
    }
}

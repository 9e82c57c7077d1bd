package io.sluice.batch;

import io.sluice.hash.Murmur3;
import io.sluice.record.Batch;
import io.sluice.record.InRecord;
import io.sluice.record.Ordering;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;

/**
 * Per-lane record queues, and batches taken from them as {@link BatchPolicy} decides. A lane is a partition
 * (partition ordering) or a key-hash slice of a partition (key ordering). A lane is in at most one batch in
 * flight, so records of one lane — and so of one key — reach the function in offset order. In adaptive mode a
 * batch takes the records of every free lane (across partitions, up to the ceilings); in fixed mode one lane's.
 * At most {@code maxInFlightBatches} batches are in flight across all lanes. A batch's lanes free one by one as
 * dispatch reports their slices final ({@link #done(Batch, java.util.Collection)}).
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
    /** Batches in flight, by id. */
    private final Map<Long, OpenBatch> open = new HashMap<>();

    private BatchPolicy policy;
    private int maxInFlightBatches;
    private int inFlightBatches;
    private long nextBatchId = 1;
    private long staleDropped;

    /** A lane's identity. */
    public record LaneKey(TopicPartition tp, int lane) {}

    private static final class Lane {
        final LaneKey key;
        final ArrayDeque<InRecord> queue = new ArrayDeque<>();
        long queuedPayloadBytes;
        long firstQueuedAt = -1;
        boolean busy;
        /** The batch it is in while busy. */
        long inFlight;

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

    private record Pick(Lane lane, String reason) {}

    /** Which slices of a batch in flight are done. */
    private static final class OpenBatch {
        final boolean[] done;
        int left;

        OpenBatch(int slices) {
            done = new boolean[slices];
            left = slices;
        }
    }

    /**
     * @param laneCount          lanes per partition in key ordering (ignored in partition ordering: one lane)
     * @param maxInFlightBatches batches in flight at most, across all lanes
     */
    public Lanes(BatchSettings settings, Ordering ordering, int laneCount, int maxInFlightBatches) {
        this.policy = new BatchPolicy(settings);
        this.ordering = ordering;
        this.laneCount = ordering == Ordering.KEY ? laneCount : 1;
        this.maxInFlightBatches = maxInFlightBatches;
    }

    /** New batch limits; they apply to records already queued from the next {@link #ready(long)}. */
    public void settings(BatchSettings s) {
        this.policy = new BatchPolicy(s);
    }

    /** The batch limits in effect. */
    public BatchSettings settings() {
        return policy.settings();
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
        List<Batch> out = new ArrayList<>();
        if (policy.spansLanes()) {
            Batch b;
            while (inFlightBatches < maxInFlightBatches && (b = takeAcrossLanes(nowMs, flush)) != null) {
                out.add(b);
            }
            return out;
        }
        int free = maxInFlightBatches - inFlightBatches;
        if (free <= 0) {
            return out;
        }
        List<Pick> picks = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            if (picks.size() >= free) {
                break;
            }
            if (lane.busy || lane.queue.isEmpty()) {
                continue;
            }
            String reason = flush
                    ? "flush"
                    : policy.closeReason(
                            lane.queue.size(), lane.queuedPayloadBytes + ENVELOPE_BYTES, lane.firstQueuedAt, nowMs);
            if (reason != null) {
                picks.add(new Pick(lane, reason));
            }
        }
        for (Pick p : picks) {
            int[] bytes = {ENVELOPE_BYTES};
            String[] reason = {p.reason};
            long waited = Math.max(0, nowMs - p.lane.firstQueuedAt);
            Batch.Slice slice = takeSlice(p.lane, 0, bytes, reason);
            out.add(open(List.of(slice), bytes[0], reason[0], flush ? 0 : waited));
            lanes.remove(p.lane.key);
            lanes.put(p.lane.key, p.lane); // to the end of the service order
        }
        return out;
    }

    /**
     * Adaptive: one batch of the free lanes' records, least recently served lanes first, when the policy says
     * they should go; null when nothing should. A record too large to ever send goes alone, as "too-large".
     */
    private Batch takeAcrossLanes(long nowMs, boolean flush) {
        FreeLanes free = freeLanes();
        long records = free.records();
        long oldest = free.oldestQueuedAt();
        String reason = records == 0
                ? null
                : flush ? "flush" : policy.closeReason(records, free.payloadBytes(), oldest, nowMs, inFlightBatches);
        if (reason == null) {
            return null;
        }
        List<Batch.Slice> slices = new ArrayList<>();
        List<Lane> served = new ArrayList<>();
        int[] size = {ENVELOPE_BYTES};
        String[] why = {reason};
        int taken = 0;
        long share = policy.share(records, maxInFlightBatches - inFlightBatches);
        for (Lane lane : lanes.values()) {
            if (taken >= share) {
                break; // the rest goes in the next invocation, on another free slot
            }
            if (lane.busy || lane.queue.isEmpty()) {
                continue;
            }
            InRecord head = lane.queue.peekFirst();
            if (policy.tooLarge(head.payloadBytes(), ENVELOPE_BYTES)) {
                if (!slices.isEmpty()) {
                    continue; // it goes alone, in a batch of its own
                }
                served.add(lane);
                slices.add(takeSlice(lane, 0, size, why));
                break;
            }
            if (!policy.fits(taken, size[0], head.payloadBytes())) {
                break;
            }
            Batch.Slice slice = takeSlice(lane, taken, size, why);
            taken += slice.records().size();
            slices.add(slice);
            served.add(lane);
        }
        for (Lane lane : served) {
            lanes.remove(lane.key);
            lanes.put(lane.key, lane); // to the end of the service order
        }
        return open(slices, size[0], why[0], flush ? 0 : Math.max(0, nowMs - oldest));
    }

    /**
     * The next records of {@code lane} (one epoch) that fit beside {@code already} records and {@code bytes[0]}
     * payload bytes; adds theirs to {@code bytes[0]}; the lane becomes busy. A head record too large for any batch
     * is taken alone and {@code reason[0]} becomes "too-large".
     */
    private Batch.Slice takeSlice(Lane lane, int already, int[] bytes, String[] reason) {
        List<InRecord> records =
                new ArrayList<>(Math.min(lane.queue.size(), policy.settings().maxRecords()));
        InRecord head = lane.queue.peekFirst();
        int before = bytes[0];
        bytes[0] += sliceBytes(lane); // its partition's "<topic>-<partition>":[...] in the event
        if (policy.tooLarge(head.payloadBytes(), ENVELOPE_BYTES)) {
            records.add(lane.queue.pollFirst());
            bytes[0] += head.payloadBytes();
            reason[0] = "too-large";
        } else {
            while (!lane.queue.isEmpty()) {
                InRecord r = lane.queue.peekFirst();
                if (!policy.fits(already + records.size(), bytes[0], r.payloadBytes()) || r.epoch() != head.epoch()) {
                    break;
                }
                records.add(lane.queue.pollFirst());
                bytes[0] += r.payloadBytes();
            }
        }
        lane.queuedPayloadBytes -= bytes[0] - before - sliceBytes(lane);
        lane.firstQueuedAt = lane.queue.isEmpty() ? -1 : lane.firstQueuedAt;
        lane.busy = true;
        lane.inFlight = nextBatchId; // the id open() gives the batch
        return new Batch.Slice(lane.key.tp().topic(), lane.key.tp().partition(), lane.key.lane(), records);
    }

    /** Bytes a slice adds to the event besides its records: its partition's key and brackets, at most. */
    private static int sliceBytes(Lane lane) {
        return lane.key.tp().topic().length() + 16;
    }

    private Batch open(List<Batch.Slice> slices, int bytes, String reason, long waitedMs) {
        Batch b = Batch.of(nextBatchId++, slices, bytes, reason, waitedMs);
        inFlightBatches++;
        open.put(b.id(), new OpenBatch(slices.size()));
        return b;
    }

    /** Every lane of the batch is free again. */
    public void done(Batch b) {
        done(b, IntStream.range(0, b.slices().size()).boxed().toList());
    }

    /**
     * These slices of the batch are final: their lanes are free again. The batch stops counting against the
     * in-flight limit when its last slice is done. Slices already done (or of a batch no longer open) are ignored.
     */
    public void done(Batch b, Collection<Integer> sliceIndexes) {
        OpenBatch ob = open.get(b.id());
        if (ob == null) {
            return;
        }
        for (int i : sliceIndexes) {
            if (ob.done[i]) {
                continue;
            }
            ob.done[i] = true;
            ob.left--;
            free(b.id(), b.slices().get(i));
        }
        if (ob.left == 0) {
            open.remove(b.id());
            inFlightBatches--;
        }
    }

    private void free(long batchId, Batch.Slice s) {
        Lane lane = lanes.get(laneKey(s));
        if (lane != null && lane.busy && lane.inFlight == batchId) {
            lane.busy = false;
            lane.inFlight = 0;
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
        OpenBatch ob = open.remove(b.id());
        if (ob == null) {
            return 0;
        }
        inFlightBatches--;
        int dropped = 0;
        for (int i = 0; i < b.slices().size(); i++) {
            if (!ob.done[i]) {
                dropped += requeueSlice(b.id(), b.slices().get(i), nowMs);
            }
        }
        return dropped;
    }

    private int requeueSlice(long batchId, Batch.Slice s, long nowMs) {
        LaneKey k = laneKey(s);
        Assignment a = assignments.get(k.tp());
        List<InRecord> keep = new ArrayList<>(s.records().size());
        for (InRecord r : s.records()) {
            if (a == null || !a.isStale(r.epoch())) {
                keep.add(r);
            }
        }
        int dropped = s.records().size() - keep.size();
        staleDropped += dropped;
        Lane lane = lanes.get(k);
        if (lane == null) {
            if (keep.isEmpty()) {
                return dropped;
            }
            lane = new Lane(k);
            lanes.put(k, lane);
        } else if (!lane.busy || lane.inFlight != batchId) {
            // not this batch's lane any more (revoked and re-assigned meanwhile): its records are stale
            return dropped;
        }
        lane.busy = false;
        lane.inFlight = 0;
        for (int i = keep.size() - 1; i >= 0; i--) {
            lane.queue.addFirst(keep.get(i));
            lane.queuedPayloadBytes += keep.get(i).payloadBytes();
        }
        if (!keep.isEmpty()) {
            long due = nowMs - policy.settings().waitMs();
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
        FreeLanes free = freeLanes();
        if (free.records() == 0) {
            return -1;
        }
        // adaptive: the free lanes go together, due as one group; fixed: each on its own, the oldest first
        return policy.spansLanes()
                ? policy.dueAt(free.oldestQueuedAt(), free.records(), inFlightBatches)
                : policy.dueAt(free.oldestQueuedAt());
    }

    /** What the lanes with nothing in flight hold: records, payload bytes (envelope included), oldest queue time. */
    private record FreeLanes(long records, long payloadBytes, long oldestQueuedAt) {}

    private FreeLanes freeLanes() {
        long records = 0;
        long bytes = ENVELOPE_BYTES;
        long oldest = Long.MAX_VALUE;
        for (Lane lane : lanes.values()) {
            if (!lane.busy && !lane.queue.isEmpty()) {
                records += lane.queue.size();
                bytes += lane.queuedPayloadBytes;
                oldest = Math.min(oldest, lane.firstQueuedAt);
            }
        }
        return new FreeLanes(records, bytes, oldest);
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

    /** A lane's backlog, for status: records queued, whether a batch of it is in flight, its oldest record's wait. */
    public record Backlog(String topicPartition, int lane, int queued, boolean inFlight, long oldestWaitMs) {}

    /** The {@code n} lanes with the most records queued, most first (lanes with none left out). */
    public List<Backlog> largestBacklogs(int n, long nowMs) {
        List<Lane> top = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            if (!lane.queue.isEmpty()) {
                top.add(lane);
            }
        }
        top.sort((a, b) -> Integer.compare(b.queue.size(), a.queue.size()));
        List<Backlog> out = new ArrayList<>(Math.min(n, top.size()));
        for (Lane lane : top.subList(0, Math.min(n, top.size()))) {
            out.add(new Backlog(
                    lane.key.tp().topic() + "-" + lane.key.tp().partition(),
                    lane.key.lane(),
                    lane.queue.size(),
                    lane.busy,
                    Math.max(0, nowMs - lane.firstQueuedAt)));
        }
        return out;
    }

    /** Records queued in all lanes, not yet in a batch. */
    public int queuedRecords() {
        int n = 0;
        for (Lane lane : lanes.values()) {
            n += lane.queue.size();
        }
        return n;
    }

    private static LaneKey laneKey(Batch.Slice s) {
        return new LaneKey(new TopicPartition(s.topic(), s.partition()), s.lane());
    }
}

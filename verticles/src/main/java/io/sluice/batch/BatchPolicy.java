package io.sluice.batch;

/**
 * When waiting records go to the function, and how many one invocation takes. Pure decisions, no state: the
 * caller ({@link Lanes}) passes what waits and the clock.
 *
 * <p><b>Adaptive</b> ({@link BatchSettings.Mode#ADAPTIVE}): the unit is every lane with no batch in flight (a
 * lane is a partition, or a key lane of one), across partitions. Their records go together, in one invocation,
 * as soon as a slot is free and
 * <ul>
 *   <li>they fill a batch: {@code maxRecords} records or {@code maxBytes} of payload ("count", "bytes"), or</li>
 *   <li>the oldest of them has waited {@code maxWaitMs} ("wait"): the latency target.</li>
 * </ul>
 * When several slots are free, due records are spread over them ({@link #share}), never below a tenth of
 * {@code maxRecords} per invocation: the function works on several batches at once instead of one large one.
 * Nothing else is tuned: the load decides the size. A fast function frees its lanes quickly, so batches leave
 * every {@code maxWaitMs} with what arrived meanwhile (small when the input is light, never more invocations
 * than one per {@code maxWaitMs} per free slot). A slow function (or a concurrency limit) keeps lanes busy;
 * their records accumulate, and when a lane frees its backlog has waited past the target and leaves at once,
 * as large as the ceilings allow: throughput per key rises with the backlog instead of being fixed at
 * {@code maxRecords / latency}. A lane is never in two batches at once, so per-key (or per-partition) order is
 * that of the offsets.
 *
 * <p><b>Fixed</b> ({@link BatchSettings.Mode#FIXED}): the first milestone's rule, kept to compare: a batch is one
 * lane's records, closed on {@code maxRecords}, {@code maxBytes} or {@code lingerMs} after its first record.
 */
final class BatchPolicy {
    private final BatchSettings settings;

    public BatchPolicy(BatchSettings settings) {
        this.settings = settings;
    }

    public BatchSettings settings() {
        return settings;
    }

    /** Whether one batch takes the records of several lanes (and partitions). */
    public boolean spansLanes() {
        return settings.mode() == BatchSettings.Mode.ADAPTIVE;
    }

    /**
     * Why records that wait should go now, or null to keep waiting.
     *
     * @param records        records waiting (in one lane in fixed mode, in every free lane in adaptive mode)
     * @param payloadBytes   their Lambda payload bytes, envelope included
     * @param oldestQueuedAt when the oldest of them was queued (ms, the caller's clock)
     */
    public String closeReason(long records, long payloadBytes, long oldestQueuedAt, long nowMs) {
        return closeReason(records, payloadBytes, oldestQueuedAt, nowMs, 0);
    }

    /**
     * As {@link #closeReason(long, long, long, long)}, knowing how many invocations are in flight: in adaptive
     * mode records fewer than {@link #splitFloor()} wait up to one more {@code maxWaitMs} while others are in flight,
     * for the lanes of those to free and join them (see {@link #dueAt(long, long, int)}).
     */
    public String closeReason(long records, long payloadBytes, long oldestQueuedAt, long nowMs, int inFlight) {
        if (records <= 0) {
            return null;
        }
        if (records >= settings.maxRecords()) {
            return "count";
        }
        if (payloadBytes >= settings.maxBytes()) {
            return "bytes";
        }
        if (nowMs >= dueAt(oldestQueuedAt, records, inFlight)) {
            return spansLanes() ? "wait" : "linger";
        }
        return null;
    }

    /**
     * How many of {@code records} due records one invocation takes when {@code freeSlots} invocation slots are free
     * (adaptive mode): spread evenly over the free slots — a slow or busy function then works on several smaller
     * invocations at once instead of one large one — but never below {@link #splitFloor()} each, so spreading never
     * costs invocations below that size; at most {@code maxRecords}. The caller takes whole lanes until it reaches
     * the share.
     */
    public long share(long records, int freeSlots) {
        long floor = splitFloor();
        long ways = Math.max(1, Math.min(Math.max(1, freeSlots), records / floor));
        return Math.min(settings.maxRecords(), (records + ways - 1) / ways);
    }

    /** The smallest invocation spreading makes: a tenth of {@code maxRecords} (2,000 by default), at least 1. */
    public long splitFloor() {
        return Math.max(1, settings.maxRecords() / 10);
    }

    /** When records queued at {@code oldestQueuedAt} are due whatever the fill (nothing in flight to join them). */
    public long dueAt(long oldestQueuedAt) {
        return oldestQueuedAt + settings.waitMs();
    }

    /**
     * When {@code records} queued since {@code oldestQueuedAt} are due with {@code inFlight} invocations out. In
     * adaptive mode a group below the split floor waits one more {@code maxWaitMs} while others are in flight, so
     * groups of lanes that split under a burst (or freed at slightly different times) merge again instead of
     * each paying an invocation per cycle; with nothing in flight, or the floor reached, it goes at the target.
     */
    public long dueAt(long oldestQueuedAt, long records, int inFlight) {
        long due = dueAt(oldestQueuedAt);
        return spansLanes() && inFlight > 0 && records < splitFloor() ? due + settings.maxWaitMs() : due;
    }

    /** Whether one more record of {@code recordBytes} fits a batch holding {@code records} and {@code bytes}. */
    public boolean fits(int records, long bytes, int recordBytes) {
        return records < settings.maxRecords() && bytes + recordBytes <= settings.maxBytes();
    }

    /** A record that alone exceeds {@code maxBytes} (with the envelope): it can never be sent. */
    public boolean tooLarge(int recordBytes, int envelopeBytes) {
        return recordBytes + envelopeBytes > settings.maxBytes();
    }
}

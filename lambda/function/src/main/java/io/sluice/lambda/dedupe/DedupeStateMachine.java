package io.sluice.lambda.dedupe;

/**
 * The idempotency state machine of one dedupe key ({@code <target>|<idempotencyKey>}), pure: no I/O, no clock.
 * Both stores follow it: {@link LruDedupeStore} evaluates it in memory, {@link DynamoDbDedupeStore} has DynamoDB
 * evaluate the same claim condition server-side ({@link #CLAIM_CONDITION}).
 *
 * <pre>
 *   ABSENT ──claim──▶ IN_PROGRESS(lock until t) ──target call succeeded──▶ COMPLETE (kept for the TTL)
 *                         │   └──target call failed──▶ ABSENT (lock released: the retry claims again)
 *                         └── crash: the lock stays; once t has passed, the next claim takes it over
 * </pre>
 * A claim on a key that is {@code COMPLETE} skips the target (already delivered); one on a live lock (another
 * invocation is delivering it, or crashed less than the lock's time ago) reports the record failed, so it is
 * retried later and never dropped; a claim the store could not answer reports the record failed too.
 */
public final class DedupeStateMachine {

    /** DynamoDB's condition for a claim write: the key is new, or its in-progress lock has expired. */
    public static final String CLAIM_CONDITION = "attribute_not_exists(pk) OR (#s = :inprogress AND #exp < :now)";

    private DedupeStateMachine() {}

    /** What the store holds for a key. */
    public enum State {
        ABSENT,
        IN_PROGRESS,
        COMPLETE
    }

    /**
     * A stored item.
     *
     * @param lockExpiresAtMs for {@code IN_PROGRESS}: when the lock may be taken over (epoch ms); else ignored
     */
    public record Item(State state, long lockExpiresAtMs) {
        public static final Item ABSENT = new Item(State.ABSENT, 0L);
        public static final Item COMPLETE = new Item(State.COMPLETE, 0L);

        public static Item inProgress(long lockExpiresAtMs) {
            return new Item(State.IN_PROGRESS, lockExpiresAtMs);
        }
    }

    /** The answer to a claim, per key. */
    public enum Verdict {
        /** New key, now locked by this invocation: dispatch it. */
        DISPATCH,
        /** An expired in-progress lock (a crashed or timed-out delivery) was taken over: dispatch it. */
        TAKE_OVER,
        /** Delivered before: skip the target, acknowledge the record. */
        SKIP_DELIVERED,
        /** Another delivery holds a live lock: report the record failed (retried later). */
        LOCKED,
        /** The store did not answer: report the record failed (retried later), never drop it. */
        STORE_UNAVAILABLE;

        /** True when the target is called for this key. */
        public boolean dispatches() {
            return this == DISPATCH || this == TAKE_OVER;
        }

        /** True when the record goes into {@code batchItemFailures}. */
        public boolean reportsFailed() {
            return this == LOCKED || this == STORE_UNAVAILABLE;
        }

        /** True when this invocation holds the key's lock and must complete or release it. */
        public boolean holdsLock() {
            return dispatches();
        }
    }

    /** {@link #CLAIM_CONDITION} evaluated on {@code current}: may a claim write replace it? */
    public static boolean claimAllowed(Item current, long nowMs) {
        return current.state() == State.ABSENT
                || (current.state() == State.IN_PROGRESS && current.lockExpiresAtMs() < nowMs);
    }

    /** The verdict of a claim on a key holding {@code current} (before the claim), at {@code nowMs}. */
    public static Verdict claim(Item current, long nowMs) {
        if (claimAllowed(current, nowMs)) {
            return current.state() == State.ABSENT ? Verdict.DISPATCH : Verdict.TAKE_OVER;
        }
        return current.state() == State.COMPLETE ? Verdict.SKIP_DELIVERED : Verdict.LOCKED;
    }

    /** What a successful claim leaves in the store. */
    public static Item claimed(long lockExpiresAtMs) {
        return Item.inProgress(lockExpiresAtMs);
    }

    /**
     * What the store holds once the target answered for a key this invocation locked: {@code COMPLETE} after a
     * success, {@code ABSENT} (released) after a failure, so the retry claims it at once.
     */
    public static Item afterCall(boolean delivered) {
        return delivered ? Item.COMPLETE : Item.ABSENT;
    }

    /**
     * Whether a key is claimed (read and locked) before its target call. With {@code onlySuspects} only records
     * Sluice marked as possible redeliveries are; a first delivery goes straight to the target and its key is
     * written {@code COMPLETE} afterwards (so a later redelivery, always a suspect, is caught).
     */
    public static boolean needsClaim(boolean onlySuspects, boolean suspect) {
        return !onlySuspects || suspect;
    }

    /**
     * When this invocation's lock expires: just after the invocation's own deadline (it can no longer deliver
     * then), or {@code defaultLockMs} from now when the deadline is unknown.
     */
    public static long lockExpiry(long nowMs, long deadlineEpochMs, long defaultLockMs) {
        return deadlineEpochMs > 0 ? Math.max(nowMs, deadlineEpochMs) + 2_000L : nowMs + defaultLockMs;
    }
}

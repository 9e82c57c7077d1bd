package io.sluice.lambda.dedupe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Remembers idempotency keys across deliveries, following {@link DedupeStateMachine}: a key is claimed (locked)
 * before its target call, completed after it succeeded, released after it failed. Implementations are
 * thread-safe.
 */
public interface DedupeStore {

    /**
     * Claims {@code keys} for this invocation.
     *
     * @param lockExpiresAtMs when the locks taken may be taken over by another delivery
     * @return one verdict per key, in order; a key the store could not answer is {@code STORE_UNAVAILABLE} (this
     *     method does not throw for that)
     */
    List<DedupeStateMachine.Verdict> claim(List<String> keys, long nowMs, long lockExpiresAtMs);

    /**
     * {@link #claim(List, long, long)} answered by {@code answerByEpochMs} (0 = the store's own bound): a key whose
     * claim has not come back by then is {@code STORE_UNAVAILABLE}, so the invocation still answers in time.
     */
    default List<DedupeStateMachine.Verdict> claim(
            List<String> keys, long nowMs, long lockExpiresAtMs, long answerByEpochMs) {
        return claim(keys, nowMs, lockExpiresAtMs);
    }

    /**
     * Marks keys delivered (after their target call succeeded), whether or not they were claimed first.
     *
     * @throws DedupeStoreException when the store could not record them (they were delivered anyway)
     */
    void complete(List<String> keys);

    /** Releases the locks of claimed keys whose target call failed, best effort (an unreleased lock expires). */
    void release(List<String> keys);

    /** Requests made to the store so far (API calls; 0 for in-memory stores). */
    default long requests() {
        return 0L;
    }

    /** A store that remembers nothing: every key is dispatched. */
    static DedupeStore none() {
        return NoDedupe.INSTANCE;
    }

    /** True when this store remembers nothing (mode off). */
    default boolean isNone() {
        return false;
    }

    /** The no-op store. */
    enum NoDedupe implements DedupeStore {
        INSTANCE;

        @Override
        public List<DedupeStateMachine.Verdict> claim(List<String> keys, long nowMs, long lockExpiresAtMs) {
            return new ArrayList<>(Collections.nCopies(keys.size(), DedupeStateMachine.Verdict.DISPATCH));
        }

        @Override
        public void complete(List<String> keys) {
            // remembers nothing
        }

        @Override
        public void release(List<String> keys) {
            // holds nothing
        }

        @Override
        public boolean isNone() {
            return true;
        }
    }
}

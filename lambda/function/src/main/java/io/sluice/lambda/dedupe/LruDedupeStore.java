package io.sluice.lambda.dedupe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In-memory store (mode {@code memory}): an LRU of keys bounded by {@code capacity}, per warm container (a Lambda
 * execution environment), following {@link DedupeStateMachine} (so two invocations of one container never
 * deliver the same key at once). A redelivery that lands on another container is not caught: use
 * {@link DynamoDbDedupeStore} for that. Thread-safe (one lock; a handful of calls per invocation).
 */
public final class LruDedupeStore implements DedupeStore {

    private final int capacity;
    private final LinkedHashMap<String, DedupeStateMachine.Item> keys;

    public LruDedupeStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("dedupe capacity must be >= 1 but was " + capacity);
        }
        this.capacity = capacity;
        this.keys = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, DedupeStateMachine.Item> eldest) {
                return size() > LruDedupeStore.this.capacity;
            }
        };
    }

    @Override
    public synchronized List<DedupeStateMachine.Verdict> claim(List<String> claimed, long nowMs, long lockExpiresAtMs) {
        List<DedupeStateMachine.Verdict> out = new ArrayList<>(claimed.size());
        for (String key : claimed) {
            DedupeStateMachine.Item current = keys.getOrDefault(key, DedupeStateMachine.Item.ABSENT);
            DedupeStateMachine.Verdict v = DedupeStateMachine.claim(current, nowMs);
            if (v.holdsLock()) {
                keys.put(key, DedupeStateMachine.claimed(lockExpiresAtMs));
            }
            out.add(v);
        }
        return out;
    }

    @Override
    public synchronized void complete(List<String> delivered) {
        delivered.forEach(k -> keys.put(k, DedupeStateMachine.afterCall(true)));
    }

    @Override
    public synchronized void release(List<String> failed) {
        for (String k : failed) {
            DedupeStateMachine.Item current = keys.get(k);
            if (current != null && current.state() == DedupeStateMachine.State.IN_PROGRESS) {
                keys.remove(k);
            }
        }
    }

    /** True when {@code key} is recorded as delivered. */
    public synchronized boolean delivered(String key) {
        DedupeStateMachine.Item i = keys.get(key);
        return i != null && i.state() == DedupeStateMachine.State.COMPLETE;
    }

    public synchronized int size() {
        return keys.size();
    }

    public int capacity() {
        return capacity;
    }
}

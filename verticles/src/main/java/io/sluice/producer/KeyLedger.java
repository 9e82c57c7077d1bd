package io.sluice.producer;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-key order between Kafka and the spool (no I/O, not thread-safe: the producer's event loop owns it).
 * For each key it counts the events sent straight to Kafka and not yet answered ({@code direct}), the events
 * in the spool and not yet drained ({@code spooled}), and keeps the events that wait for their turn
 * ({@code held}).
 *
 * <p>The rule ({@link #route}): while a key has spooled events, its next events go behind them into the
 * spool; an event that must be spooled while earlier events of its key are still on their way to Kafka waits
 * (held, in order) until those are answered (an acknowledged one is done, a failed one is spooled first), so
 * the spool never holds a key's events out of order. A key with nothing spooled or held goes to Kafka unless
 * Kafka is down or the in-flight bound is full.
 *
 * @param <T> what a held event is (the caller's item)
 */
public final class KeyLedger<T> {
    /** Where an event goes now. */
    public enum Route {
        SEND,
        SPOOL,
        HOLD
    }

    private static final class Key<T> {
        int direct;
        long spooled;
        ArrayDeque<T> held;

        boolean idle() {
            return direct == 0 && spooled == 0 && (held == null || held.isEmpty());
        }
    }

    private final Map<String, Key<T>> keys = new HashMap<>();
    private long heldTotal;
    private long spooledTotal;

    /**
     * Decides an event of {@code key}, and books it: {@link Route#SEND} counts it direct, {@link Route#SPOOL}
     * counts it spooled, {@link Route#HOLD} queues {@code item}.
     *
     * @param kafkaDown the last send failed retriably and nothing was acknowledged since
     * @param full      the in-flight bound is reached
     */
    public Route route(String key, T item, boolean kafkaDown, boolean full) {
        Key<T> k = keys.computeIfAbsent(key, x -> new Key<>());
        if (k.held != null && !k.held.isEmpty()) {
            hold(k, item);
            return Route.HOLD;
        }
        boolean toSpool = k.spooled > 0 || kafkaDown || full;
        if (toSpool && k.direct > 0) {
            hold(k, item);
            return Route.HOLD;
        }
        if (toSpool) {
            k.spooled++;
            spooledTotal++;
            return Route.SPOOL;
        }
        k.direct++;
        return Route.SEND;
    }

    private void hold(Key<T> k, T item) {
        if (k.held == null) {
            k.held = new ArrayDeque<>();
        }
        k.held.add(item);
        heldTotal++;
    }

    /**
     * A direct send of {@code key} was answered. {@code nowSpooled}: it failed and goes to the spool (counted
     * spooled, ahead of anything held). When it was the key's last direct send, the held events are handed back,
     * in order, to be routed again ({@link #route}); else an empty list.
     */
    public List<T> directDone(String key, boolean nowSpooled) {
        Key<T> k = keys.get(key);
        if (k == null) {
            return List.of();
        }
        k.direct--;
        if (nowSpooled) {
            k.spooled++;
            spooledTotal++;
        }
        List<T> released = List.of();
        if (k.direct == 0 && k.held != null && !k.held.isEmpty()) {
            released = List.copyOf(k.held);
            heldTotal -= k.held.size();
            k.held.clear();
        }
        forgetIfIdle(key, k);
        return released;
    }

    /** An event of {@code key} left the spool: drained to Kafka, or its append failed. */
    public void unspooled(String key) {
        Key<T> k = keys.get(key);
        if (k != null && k.spooled > 0) {
            k.spooled--;
            spooledTotal--;
            forgetIfIdle(key, k);
        }
    }

    /** An event of {@code key} found in the spool at start. */
    public void recovered(String key) {
        keys.computeIfAbsent(key, x -> new Key<>()).spooled++;
        spooledTotal++;
    }

    private void forgetIfIdle(String key, Key<T> k) {
        if (k.idle()) {
            keys.remove(key);
        }
    }

    /** Events waiting behind their key's direct sends. */
    public long held() {
        return heldTotal;
    }

    /** Events counted in the spool (appends in progress included). */
    public long spooled() {
        return spooledTotal;
    }

    /** Keys with anything direct, spooled or held. */
    public int keys() {
        return keys.size();
    }
}

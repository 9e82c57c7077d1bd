package io.sluice.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down token guessing, per client address: the first {@value #FREE} wrong tokens are answered as usual;
 * after that each wrong token locks the client out for twice as long as the last time (1 s, 2 s, 4 s, ... up to
 * {@value #MAX_LOCK_MS} ms), and while locked every authenticated request is answered 429 with
 * {@code Retry-After}. A right token clears the client's record; a client quiet for {@value #FORGET_MS} ms is
 * forgotten. At most {@value #MAX_CLIENTS} clients are tracked (the least recently seen are dropped).
 * Not thread-safe: use it from one event loop.
 */
public final class AuthThrottle {
    static final int FREE = 5;
    static final long MAX_LOCK_MS = 300_000;
    static final long FORGET_MS = 900_000;
    static final int MAX_CLIENTS = 10_000;

    private final LongSupplier clock;
    private final Map<String, Entry> clients = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    private static final class Entry {
        int failures;
        long lockedUntil;
        long lastSeen;
    }

    public AuthThrottle(LongSupplier clockMs) {
        this.clock = clockMs;
    }

    /** Milliseconds {@code client} must still wait before its token is looked at; 0 = go ahead. */
    public long waitMs(String client) {
        Entry e = clients.get(client);
        if (e == null) {
            return 0;
        }
        long now = clock.getAsLong();
        if (now - e.lastSeen > FORGET_MS) {
            clients.remove(client);
            return 0;
        }
        return Math.max(0, e.lockedUntil - now);
    }

    /** A wrong token from {@code client}; returns the lock-out now in force (0 while within the free tries). */
    public long failed(String client) {
        long now = clock.getAsLong();
        Entry e = clients.computeIfAbsent(client, c -> new Entry());
        e.failures++;
        e.lastSeen = now;
        if (e.failures <= FREE) {
            return 0;
        }
        int over = Math.min(30, e.failures - FREE - 1);
        long lock = Math.min(MAX_LOCK_MS, 1_000L << over);
        e.lockedUntil = now + lock;
        return lock;
    }

    /** A right token: the client's record is cleared. */
    public void succeeded(String client) {
        clients.remove(client);
    }

    int tracked() {
        return clients.size();
    }
}

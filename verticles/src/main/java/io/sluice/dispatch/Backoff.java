package io.sluice.dispatch;

import java.util.random.RandomGenerator;

/** Exponential backoff with full jitter: a uniform delay in [0, min(cap, base × 2^(attempt-1))]. */
public final class Backoff {
    private final long baseMs;
    private final long capMs;
    private final RandomGenerator random;

    public Backoff(long baseMs, long capMs, RandomGenerator random) {
        this.baseMs = baseMs;
        this.capMs = capMs;
        this.random = random;
    }

    /** The ceiling of the delay after failed attempt number {@code attempt} (1-based). */
    public long ceilingMs(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 40);
        long exp = baseMs << shift;
        return exp <= 0 || exp > capMs ? capMs : exp;
    }

    /** The delay before the next attempt after failed attempt number {@code attempt} (1-based). */
    public long delayMs(int attempt) {
        return random.nextLong(ceilingMs(attempt) + 1);
    }
}

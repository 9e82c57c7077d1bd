package io.sluice.consumer;

import java.util.EnumSet;
import java.util.Set;

/**
 * Why the consumer is paused. In-flight backpressure uses a high-water mark (the limits) and a
 * low-water mark (limits × resume ratio), so it does not flap. Operators and the circuit breaker add
 * their own reasons. Pure logic, confined to the consumer's event loop.
 */
public final class PauseState {
    /** A reason to pause. */
    public enum Reason {
        IN_FLIGHT,
        MANUAL,
        BREAKER,
        SHUTDOWN,
        REPLAY
    }

    private final EnumSet<Reason> reasons = EnumSet.noneOf(Reason.class);
    private long maxRecords;
    private long maxBytes;
    private final double resumeRatio;

    public PauseState(long maxRecords, long maxBytes, double resumeRatio) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.resumeRatio = resumeRatio;
    }

    /** Updates the in-flight reason from current in-flight records/bytes. Returns true if paused changed. */
    public boolean inFlight(long records, long bytes) {
        boolean before = paused();
        if (records >= maxRecords || bytes >= maxBytes) {
            reasons.add(Reason.IN_FLIGHT);
        } else if (records <= maxRecords * resumeRatio && bytes <= maxBytes * resumeRatio) {
            reasons.remove(Reason.IN_FLIGHT);
        }
        return before != paused();
    }

    /** Sets or clears a reason. Returns true if paused changed. */
    public boolean set(Reason r, boolean on) {
        boolean before = paused();
        if (on) {
            reasons.add(r);
        } else {
            reasons.remove(r);
        }
        return before != paused();
    }

    public boolean paused() {
        return !reasons.isEmpty();
    }

    public Set<Reason> reasons() {
        return EnumSet.copyOf(reasons.isEmpty() ? EnumSet.noneOf(Reason.class) : reasons);
    }
}

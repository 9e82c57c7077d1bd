package io.sluice.locallambda;

import io.sluice.lambda.RecordId;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The mutable, thread-safe fault switchboard of one function: each invocation reads one consistent
 * {@link FaultSettings} snapshot. The same settings are reachable over HTTP at
 * {@code /local/functions/{name}/faults}.
 */
public final class FaultInjection {

    private final AtomicReference<FaultSettings> current = new AtomicReference<>(FaultSettings.NONE);

    public FaultSettings get() {
        return current.get();
    }

    public FaultInjection set(FaultSettings settings) {
        current.set(java.util.Objects.requireNonNull(settings, "settings"));
        return this;
    }

    public FaultInjection update(UnaryOperator<FaultSettings> change) {
        current.updateAndGet(change);
        return this;
    }

    /** Applies a JSON patch atomically (see {@link FaultSettings#merge}); returns the new settings. */
    public FaultSettings apply(JsonObject patch) {
        return current.updateAndGet(s -> s.merge(patch));
    }

    public FaultInjection reset() {
        return set(FaultSettings.NONE);
    }

    public FaultInjection latencyMs(long ms) {
        return update(s -> s.withLatencyMs(ms));
    }

    public FaultInjection latencyDistribution(long medianMs, long p99Ms) {
        return update(s -> s.withLatencyDistribution(medianMs, p99Ms));
    }

    public FaultInjection errorRate(double rate) {
        return update(s -> s.withErrorRate(rate));
    }

    public FaultInjection throttleRate(double rate) {
        return update(s -> s.withThrottleRate(rate));
    }

    /**
     * On each invocation that runs without error, each record is forced to fail with this probability (0..1),
     * in addition to {@link #failOffsets}; see {@link FaultSettings}.
     */
    public FaultInjection partialFailureRate(double rate) {
        return update(s -> s.withPartialFailureRate(rate));
    }

    public FaultInjection outage(boolean on) {
        return update(s -> s.withOutage(on));
    }

    public FaultInjection outageMode(FaultSettings.OutageMode mode) {
        return update(s -> s.withOutageMode(mode));
    }

    public FaultInjection failOffsets(Collection<RecordId> ids) {
        return update(s -> s.withFailOffsets(Set.copyOf(ids)));
    }
}

package io.sluice.locallambda;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Faults of the local sink ({@code GET/PUT/DELETE /sink/faults}), thread-safe:
 * {@code {"latencyMs": 0..900000 (answer delayed by a timer, not a blocked thread), "errorRate": 0..1
 * (HTTP 503), "outage": false (every call 503)}}. PUT merges the given fields.
 */
public final class SinkFaults {

    private static final List<String> FIELDS = List.of("latencyMs", "errorRate", "outage");

    private volatile long latencyMs;
    private volatile double errorRate;
    private volatile boolean outage;

    public long latencyMs() {
        return latencyMs;
    }

    public double errorRate() {
        return errorRate;
    }

    public boolean outage() {
        return outage;
    }

    public SinkFaults latencyMs(long ms) {
        if (ms < 0 || ms > FaultSettings.MAX_LATENCY_MS) {
            throw new IllegalArgumentException(
                    "latencyMs must be in 0.." + FaultSettings.MAX_LATENCY_MS + " but was " + ms);
        }
        latencyMs = ms;
        return this;
    }

    public SinkFaults errorRate(double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("errorRate must be in 0..1 but was " + rate);
        }
        errorRate = rate;
        return this;
    }

    public SinkFaults outage(boolean on) {
        outage = on;
        return this;
    }

    public SinkFaults reset() {
        latencyMs = 0;
        errorRate = 0;
        outage = false;
        return this;
    }

    /** Validates the whole patch first, then applies it. */
    public synchronized JsonObject apply(JsonObject patch) {
        for (String f : patch.fieldNames()) {
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "'; allowed: " + FIELDS);
            }
        }
        Object l = patch.getValue("latencyMs");
        Object e = patch.getValue("errorRate");
        Object o = patch.getValue("outage");
        if (l != null
                && (!(l instanceof Number n)
                        || n.doubleValue() != Math.rint(n.doubleValue())
                        || n.longValue() < 0
                        || n.longValue() > FaultSettings.MAX_LATENCY_MS)) {
            throw new IllegalArgumentException(
                    "latencyMs must be an integer in 0.." + FaultSettings.MAX_LATENCY_MS + " but was " + l);
        }
        if (e != null && (!(e instanceof Number n) || !(n.doubleValue() >= 0 && n.doubleValue() <= 1))) {
            throw new IllegalArgumentException("errorRate must be a number in 0..1 but was " + e);
        }
        if (o != null && !(o instanceof Boolean)) {
            throw new IllegalArgumentException("outage must be true or false but was " + o);
        }
        if (patch.containsKey("latencyMs")) {
            latencyMs(l == null ? 0 : ((Number) l).longValue());
        }
        if (patch.containsKey("errorRate")) {
            errorRate(e == null ? 0 : ((Number) e).doubleValue());
        }
        if (patch.containsKey("outage")) {
            outage(Boolean.TRUE.equals(o));
        }
        return toJson();
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("latencyMs", latencyMs)
                .put("errorRate", errorRate)
                .put("outage", outage);
    }
}
